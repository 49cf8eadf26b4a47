package vetshare

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"
)

// Ids are typed so that the compiler catches a patient id passed where a client id is wanted.
// An id is an opaque string: a host may give owners, accounts, users, clients, patients and
// items ids of its own, any string [ValidID] accepts (R12.3), and the library makes one with
// [NewID] where none is given, and for everything else. Nothing relies on ids sorting by time:
// lists that promise the order things were made in keep that order in a column of its own.
type (
	// OwnerID identifies an [Owner].
	OwnerID string
	// AccountID identifies an [Account], one clinic location.
	AccountID string
	// UserID identifies a [User].
	UserID string
	// GroupID identifies a [ShareGroup].
	GroupID string
	// ClientID identifies a [Client], the same in every account that shares it.
	ClientID string
	// PatientID identifies a [Patient].
	PatientID string
	// RecordID identifies a medical [Record].
	RecordID string
	// ItemID identifies an item of one account's catalogue.
	ItemID string
	// ReminderID identifies a reminder.
	ReminderID string
	// InvoiceID identifies an invoice.
	InvoiceID string
	// PaymentID identifies a payment.
	PaymentID string
	// ContactID identifies a contact or a company of one account's address book.
	ContactID string
	// TaskID identifies a task.
	TaskID string
	// OperationID identifies one call of an operation: the audit entries it writes share it
	// (R10.1). The library makes it; it is never given by a host.
	OperationID string
)

// ID is the set of id types, for [NewID] and [ValidID].
type ID interface {
	~string
}

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewID returns a new random, time-ordered id made at now: 54 bits of microseconds since the
// Unix epoch followed by 74 random bits, in Crockford base32 (26 characters). Ids made in
// different microseconds sort in time order; ids of one microsecond in random order.
func NewID[T ID](now time.Time) T {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24 and later).
	us := uint64(max(now.UnixMicro(), 0)) & (1<<54 - 1)
	hi := binary.BigEndian.Uint64(b[:8])
	binary.BigEndian.PutUint64(b[:8], us<<10|hi&(1<<10-1))
	return T(encode(b))
}

func encode(b [16]byte) string {
	var out [26]byte
	hi := binary.BigEndian.Uint64(b[:8])
	lo := binary.BigEndian.Uint64(b[8:])
	// 128 bits as 26 five-bit digits: the first digit holds the top 3 bits.
	for i := 25; i >= 0; i-- {
		out[i] = crockford[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return string(out[:])
}

// MaxIDLen is the length of the longest id, in bytes (R12.3).
const MaxIDLen = 64

// ValidID reports whether id is well formed (R12.3): 1 to [MaxIDLen] bytes of valid UTF-8 in
// which every character is graphic as [unicode.IsGraphic] has it (letters, marks, numbers,
// punctuation, symbols and spaces: no control, format or private-use characters), and that
// neither begins nor ends with a space. Every id [NewID] makes is well formed; a host may give
// any other. Operations refuse a malformed id with [ErrInvalid]; a well-formed one that names
// nothing is [ErrNotFound].
func ValidID[T ID](id T) bool { return idProblem(string(id)) == "" }

// CheckID returns nil when id is well formed ([ValidID]), and otherwise an [*InvalidError] for
// field that says what is wrong with it.
func CheckID[T ID](field string, id T) error {
	if p := idProblem(string(id)); p != "" {
		return Invalid(field, p)
	}
	return nil
}

// IDOrNew returns id when it is given and well formed, and a new id made at now by [NewID] when
// it is empty: the id of something a host creates, with an id of its own or without (R12.3). It
// returns an [*InvalidError] for field when id is malformed.
func IDOrNew[T ID](field string, id T, now time.Time) (T, error) {
	if id == "" {
		return NewID[T](now), nil
	}
	return id, CheckID(field, id)
}

// idProblem says what makes s a malformed id, or returns "" when it is well formed.
func idProblem(s string) string {
	switch {
	case s == "":
		return "an id is needed"
	case len(s) > MaxIDLen:
		return fmt.Sprintf("an id is at most %d bytes long", MaxIDLen)
	case !utf8.ValidString(s):
		return "an id must be valid UTF-8"
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if unicode.IsSpace(first) || unicode.IsSpace(last) {
		return "an id must not begin or end with a space"
	}
	for _, r := range s {
		if !unicode.IsGraphic(r) {
			return "an id must not hold control or invisible characters"
		}
	}
	return ""
}
