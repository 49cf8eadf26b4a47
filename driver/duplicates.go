package driver

import (
	"context"
	"strings"
	"time"
	"unicode"

	"github.com/vetshare/vetshare"
)

// Search keys (R2.3, R13.1). A store keeps, for each client that has entries, the keys
// [ClientSearchKeys] gives, on an index that starts with the owner, so that what a person types
// and the blocking keys of duplicate matching are index probes. A key is a kind, a colon and a
// folded text:
//
//	l:obrien            a word of the last name, and all its words joined ("l:vanderberg")
//	f:mary              a word of the first name, and all its words joined
//	n:obrien mary ann   the last name, a space, the first name ("last, first" typed)
//	m:mary ann obrien   the first name, a space, the last name ("first last" typed)
//	p:5551234567        the digits of the phone, and each of their tails of 7 digits or more
//	e:mary@example.com  the email, lower-cased
//
// Names are folded with [vetshare.FoldName] and split into words at spaces, hyphens and
// commas; every other character that is not a letter or digit (an apostrophe, a full stop, the
// LIKE wildcards % and _) is dropped, so "O'Brien" is "l:obrien". In the pair keys (n: and m:)
// each name appears in every form: its words joined by spaces, joined without them, and each of
// its first words alone ("n:van der berg piet", "n:vanderberg piet", "n:berg piet"); a client
// with one name has the other empty ("n:smith "). So every name search is a range of pair keys:
// a last name equal to smith is "n:smith ", one starting with smi "n:smi", "smith, jo" is
// "n:smith jo", "john smi" "m:john smi". The l: and f: keys serve duplicate matching.
//
// The pair keys are the ones a person types into an account's search; a store may keep them a
// second time by account, for each account the client has an entry in, so that a search scoped
// to an account reads only that account's keys ([ClientSearch]).
const (
	KeyLast      = "l:"
	KeyFirst     = "f:"
	KeyLastFirst = "n:"
	KeyFirstLast = "m:"
	KeyPhone     = "p:"
	KeyEmail     = "e:"
)

// CheckSearch returns an [*vetshare.InvalidError] when q cannot be run: neither Owner nor
// Account, a Member without Account, no Probe, a Limit below 1, a Then without a pair key to
// continue, or Tiers beside a probe of q's own.
func CheckSearch(q ClientSearch) error {
	if len(q.Tiers) > 0 {
		if q.Probe != "" || q.Exact || q.Then != "" || q.Also != nil {
			return vetshare.Invalid("Tiers", "a search with tiers takes its probes from them alone")
		}
		for _, t := range q.Tiers {
			if err := CheckSearch(q.Tier(t)); err != nil {
				return err
			}
		}
		return nil
	}
	if q.Owner == "" && q.Account == "" && q.To == "" {
		return vetshare.Invalid("Owner", "a search needs an owner, or an account to take it from")
	}
	if q.Member != "" && q.Account == "" && q.To == "" {
		return vetshare.Invalid("Member", "a member is checked in an account (Account, or To)")
	}
	if q.Probe == "" {
		return vetshare.Invalid("Probe", "a search needs a key to probe")
	}
	if q.Limit < 1 {
		return vetshare.Invalid("Limit", "must be at least 1")
	}
	if q.Then != "" && (q.Exact || !(strings.HasPrefix(q.Probe, KeyLastFirst) || strings.HasPrefix(q.Probe, KeyFirstLast)) ||
		strings.Contains(q.Probe, " ")) {
		return vetshare.Invalid("Then", "continues the first name of an n: or m: key probed by its start")
	}
	return nil
}

// IsPairKey reports whether key is a pair key (n: or m:), the kind a store may keep by account.
func IsPairKey(key string) bool {
	return strings.HasPrefix(key, KeyLastFirst) || strings.HasPrefix(key, KeyFirstLast)
}

// maxPairWords bounds the words of a name that get an n: or m: key of their own.
const maxPairWords = 3

// NameWords returns the search words of a name: folded, split at spaces, hyphens and commas,
// without punctuation, and, when there are several, all of them joined as one more word.
func NameWords(name string) []string {
	words := SplitWords(name)
	if len(words) > 1 {
		words = append(words, strings.Join(words, ""))
	}
	return words
}

// SplitWords folds s and splits it into words at spaces, hyphens and commas, dropping every
// other character that is not a letter or a digit.
func SplitWords(s string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for _, r := range vetshare.FoldName(s) {
		switch {
		case r == ' ' || r == '-' || r == ',' || r == '/' || r == '&' || unicode.IsSpace(r) || unicode.Is(unicode.Pd, r):
			flush()
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	flush()
	return words
}

// nameForms returns the forms of a name in its pair keys: its words joined by spaces, then,
// when there are several, joined without them and each of its first maxPairWords words alone.
// A name without words has none.
func nameForms(words []string) []string {
	if len(words) == 0 {
		return nil
	}
	forms := []string{strings.Join(words, " ")}
	if len(words) > 1 {
		forms = append(forms, strings.Join(words, ""))
		forms = append(forms, words[:min(len(words), maxPairWords)]...)
	}
	return forms
}

// orEmpty returns forms, or the one empty form when there are none.
func orEmpty(forms []string) []string {
	if len(forms) == 0 {
		return []string{""}
	}
	return forms
}

// PhoneDigits returns the ASCII digits of a phone number, at most the last 20.
func PhoneDigits(phone string) string {
	var b strings.Builder
	for _, r := range phone {
		if '0' <= r && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if len(d) > 20 {
		d = d[len(d)-20:]
	}
	return d
}

// ClientSearchKeys returns the search keys of a client, without repeats, in a stable order.
func ClientSearchKeys(c vetshare.Client) []string {
	var keys []string
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for _, w := range NameWords(c.LastName) {
		add(KeyLast + w)
	}
	for _, w := range NameWords(c.FirstName) {
		add(KeyFirst + w)
	}
	// Both names in either order, each in all its forms (whole, joined, each of its first
	// words); a client with one name has its pair keys with the other empty ("n:smith ").
	lasts, firsts := nameForms(SplitWords(c.LastName)), nameForms(SplitWords(c.FirstName))
	for _, l := range lasts {
		for _, f := range orEmpty(firsts) {
			add(KeyLastFirst + l + " " + f)
		}
	}
	for _, f := range firsts {
		for _, l := range orEmpty(lasts) {
			add(KeyFirstLast + f + " " + l)
		}
	}
	if d := PhoneDigits(c.Phone); len(d) >= 4 {
		add(KeyPhone + d)
		for i := 1; len(d)-i >= 7; i++ {
			add(KeyPhone + d[i:])
		}
	}
	if e := strings.ToLower(strings.TrimSpace(c.Email)); e != "" {
		add(KeyEmail + e)
	}
	return keys
}

// GroupEntry is a client's entry in an account of a share group, with the account's name
// ([Tx] GroupEntriesOf).
type GroupEntry struct {
	vetshare.ClientEntry
	AccountName string
}

// ClientSearch selects clients of an owner by their search keys (R2.3, R13.1).
type ClientSearch struct {
	// Owner may be left empty when Account or To is set: the search is then in that account's
	// owner.
	Owner vetshare.OwnerID
	// The scope: with Account, the clients that have an entry in Account; with To and From,
	// those that have an entry in one of From and none in To (share candidates); with To alone,
	// as if From were the other accounts now in To's share group (none when To is in no
	// group); with neither, every client of the owner that has an entry in some account.
	Account vetshare.AccountID
	To      vetshare.AccountID
	From    []vetshare.AccountID
	// Probe is the key probed on the index: the clients that hold Probe (Exact) or a key that
	// starts with it. It must not be empty.
	Probe string
	Exact bool
	// Then, when set, makes Probe the start of the first name of a pair key (an n: or m: key
	// and the start of its first word, "n:smi") and Then the start of what follows that name's
	// space: "n:smi" then "jo" selects the clients holding "n:smith john" or "n:smithers joan",
	// both names cut short as in "smi jo". Probe must then be an n: or m: key without a space,
	// and Exact false.
	Then string
	// Also are further conditions: for each, the client must hold a key that starts with one of
	// its alternatives.
	Also [][]string
	// Not, when set, leaves out this client.
	Not   vetshare.ClientID
	Limit int
	// Member, when set (Account or To must be), makes the search find nothing unless Member is
	// an active user with an active membership of Account (of To, for share candidates): an
	// operation checks its actor in the statement that reads, and reads the membership apart
	// only when nothing was found, to tell a refusal from an empty page.
	Member vetshare.UserID
	// Tiers, when set, make the search each tier in turn, best match first, in place of
	// Probe, Exact, Then and Also (which must then be empty): the clients the first tier
	// selects (up to Limit, as a search with its Probe, Exact, Then and Also would return
	// them), then those of the second not found already, and so on, up to Limit in all. A store
	// may answer them in one statement that stops once Limit clients are found.
	Tiers []SearchTier
}

// SearchTier is one probe of a [ClientSearch] with Tiers; its fields are those of
// ClientSearch.
type SearchTier struct {
	Probe string
	Exact bool
	Then  string
	Also  [][]string
}

// Tier returns q searching with tier t alone.
func (q ClientSearch) Tier(t SearchTier) ClientSearch {
	q.Tiers = nil
	q.Probe, q.Exact, q.Then, q.Also = t.Probe, t.Exact, t.Then, t.Also
	return q
}

// KeyedClient is a client with one of its search keys, as [DuplicatesTx.KeyedClients]
// returns them.
type KeyedClient struct {
	Key    string
	Client vetshare.Client
}

// DuplicatePair is a pair of clients of an owner that may be the same person, as the duplicate
// scan found and graded it (R13.1). A is the smaller id of the two.
type DuplicatePair struct {
	Owner vetshare.OwnerID
	A, B  vetshare.ClientID
	Score int      // 0 to 100
	Grade string   // "match" or "possible"
	Agree []string // the fields that agree
	Found time.Time
}

// StoredPair is a stored [DuplicatePair] with both its clients as they are now.
type StoredPair struct {
	DuplicatePair
	ClientA, ClientB vetshare.Client
}

// NotSame is a decision that two clients of an owner are not the same person (R13.2). A is the
// smaller id of the two.
type NotSame struct {
	Owner   vetshare.OwnerID
	A, B    vetshare.ClientID
	Account vetshare.AccountID // where it was decided
	User    vetshare.UserID    // who decided
	Reason  string
	At      time.Time
}

// ClientMerge merges client Merged into client Survivor, both of Owner (R13.3).
type ClientMerge struct {
	Owner    vetshare.OwnerID
	Survivor vetshare.ClientID
	Merged   vetshare.ClientID
	At       time.Time
}

// PatientMerge merges patient Merged into patient Survivor, both of one client of Owner (R13.5).
type PatientMerge struct {
	Owner    vetshare.OwnerID
	Survivor vetshare.PatientID
	Merged   vetshare.PatientID
	At       time.Time
}

// DuplicatesTx keeps the search keys of clients, the duplicate pairs a scan found, decisions
// about duplicates, and merges of clients and of patients (R2.3, R13).
type DuplicatesTx interface {
	// IndexClient replaces the search keys of the client c.ID with [ClientSearchKeys] of c;
	// ErrNotFound when there is no such client of c.OwnerID.
	IndexClient(ctx context.Context, c vetshare.Client) error
	// SearchClients returns up to q.Limit distinct clients q selects, by the key that matched
	// Probe, then by id; with q.Account, each with its entry in that account (read in the same
	// statement where the store can), and a zero Entry otherwise. Key is not set. It returns
	// the error of [CheckSearch] for a q that cannot be run.
	SearchClients(ctx context.Context, q ClientSearch) ([]ClientRow, error)
	// InsertNotSame stores d (d.A < d.B) and removes the stored duplicate pair of the two
	// clients; ErrConflict when the pair is already decided.
	InsertNotSame(ctx context.Context, d NotSame) error
	// NotSameOf returns the decisions that involve the client, by the other client's id.
	NotSameOf(ctx context.Context, owner vetshare.OwnerID, client vetshare.ClientID) ([]NotSame, error)
	// OwnerClients returns up to limit clients of the owner that have an entry in some
	// account, by id after the cursor.
	OwnerClients(ctx context.Context, owner vetshare.OwnerID, after vetshare.ClientID, limit int) ([]vetshare.Client, error)
	// MergeClients merges m.Merged into m.Survivor: each entry of Merged in an account without
	// one of Survivor becomes Survivor's, keeping its number and creation time; in an account
	// with both, Merged's entry goes and its number stays an alias of Survivor's entry there.
	// Patients, invoices, payments, balances (per account), reminders and tasks of Merged become
	// Survivor's. Merged's profile stays, marked replaced by Survivor, without entries or search
	// keys, and the stored duplicate pairs that hold it go; every client replaced by Merged
	// before is replaced by Survivor now. ErrNotFound when either client is not the owner's or
	// has no entry.
	MergeClients(ctx context.Context, m ClientMerge) error
	// ReplacedBy returns the client that replaced the client id by a merge; ErrNotFound when it
	// was not merged away.
	ReplacedBy(ctx context.Context, owner vetshare.OwnerID, id vetshare.ClientID) (vetshare.ClientID, error)
	// NumberAlias returns the client a merged-away client number of the account now stands for;
	// ErrNotFound when the number is not such an alias.
	NumberAlias(ctx context.Context, account vetshare.AccountID, number int64) (vetshare.ClientID, error)
	// MergePatients merges m.Merged into m.Survivor (R13.5): the records (usages among them),
	// reminders and tasks of Merged become Survivor's, except that an open reminder of Merged
	// for an item and kind Survivor has open too is withdrawn. Merged stays, marked replaced by
	// Survivor, and is left out of Patient, Patients, PatientsOf and PatientNamesOf; every
	// patient replaced by Merged before is replaced by Survivor now. ErrNotFound when either
	// patient is not the owner's, or is already merged away.
	MergePatients(ctx context.Context, m PatientMerge) error
	// PatientReplacedBy returns the patient that replaced the patient id by a merge;
	// ErrNotFound when it was not merged away.
	PatientReplacedBy(ctx context.Context, owner vetshare.OwnerID, id vetshare.PatientID) (vetshare.PatientID, error)
	// KeyedClients returns up to limit of the owner's clients that have an entry in some
	// account, each with one of its search keys that starts with prefix, by key, then client
	// id, after the key afterKey and client afterClient (both empty for the start): the owner's
	// clients in the order of a blocking key, for the duplicate scan (R13.1).
	KeyedClients(ctx context.Context, owner vetshare.OwnerID, prefix, afterKey string, afterClient vetshare.ClientID, limit int) ([]KeyedClient, error)
	// PutDuplicatePairs stores the pairs, each replacing a stored pair of the same two clients,
	// and leaves out those decided not the same (InsertNotSame). Every pair must have A < B.
	PutDuplicatePairs(ctx context.Context, pairs []DuplicatePair) error
	// ClearDuplicatePairs removes every stored pair of the owner.
	ClearDuplicatePairs(ctx context.Context, owner vetshare.OwnerID) error
	// DuplicatePairs returns up to limit stored pairs of the owner, best first (by score,
	// highest first, then by A, then by B), after the pair after (nil for the start), each with
	// both clients as stored now. A pair is gone once it is decided not the same
	// (InsertNotSame) or one of its clients is merged away (MergeClients).
	DuplicatePairs(ctx context.Context, owner vetshare.OwnerID, after *DuplicatePair, limit int) ([]StoredPair, error)
}
