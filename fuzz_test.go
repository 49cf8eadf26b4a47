package vetshare_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vetshare/vetshare"
)

// The native fuzz targets of the root package (FUZZING.md). Each runs its seeds with go test;
// go test -fuzz '^FuzzName$' runs it on generated input. Seeds beyond the f.Add ones are in
// testdata/fuzz/FuzzName.

// FuzzFoldName, R2.3 and R11.4: folding never panics, gives valid UTF-8 without surrounding or
// doubled spaces, is a fixed point, and matches a name by any prefix of it: what a person has
// typed so far folds to a prefix of the name's folded form and of its [vetshare.NameKey].
func FuzzFoldName(f *testing.F) {
	for _, s := range []string{"", " ", "Müller", "GROẞMANN", "\u212Bngstr\u00F6m", "A\u030Angstro\u0308m",
		"O'Brien", "  Van  der\tBerg ", "Mül\u200Bler", "\u212Aelvin", "ǅ", "ΣΊΣΥΦΟΣ", "\xff\xfe", "İstanbul", "ß"} {
		f.Add(s, "Anna")
	}
	f.Fuzz(func(t *testing.T, last, first string) {
		fold := vetshare.FoldName(last)
		switch {
		case !utf8.ValidString(fold):
			t.Fatalf("FoldName(%q) = %q, not valid UTF-8", last, fold)
		case vetshare.FoldName(fold) != fold:
			t.Fatalf("FoldName(%q) = %q, but FoldName(%q) = %q: not a fixed point", last, fold, fold, vetshare.FoldName(fold))
		case strings.TrimFunc(fold, unicode.IsSpace) != fold, strings.Contains(fold, "  "):
			t.Fatalf("FoldName(%q) = %q: surrounding or doubled spaces", last, fold)
		}
		key := vetshare.NameKey(last, first)
		if vetshare.FoldName(key) != key {
			t.Fatalf("NameKey(%q, %q) = %q folds to %q: a key typed in full would not find itself", last, first, key, vetshare.FoldName(key))
		}
		// Every prefix typed, as far as any rune: it folds to a prefix of the folded name
		// (those within the first 256 bytes, so that a long input stays fast).
		for i := range last[:min(len(last), 256)] {
			if p := vetshare.FoldName(last[:i]); !strings.HasPrefix(fold, p) {
				t.Fatalf("typed %q folds to %q, not a prefix of %q, the fold of %q", last[:i], p, fold, last)
			}
		}
		if ff := vetshare.FoldName(first); ff != "" && key != fold+", "+ff {
			t.Fatalf("NameKey(%q, %q) = %q, not %q", last, first, key, fold+", "+ff)
		}
		// Case: the same name typed in capitals (ASCII) folds alike.
		if up := vetshare.FoldName(asciiUpper(last)); up != fold {
			t.Fatalf("FoldName(%q) = %q but FoldName(%q) = %q", last, fold, asciiUpper(last), up)
		}
	})
}

// FuzzNormalizeEmail, R1.4, R11.1 and R11.4: an address normalizes to an addr-spec that is a
// fixed point and compares case-insensitively in both parts; anything refused gets an
// [*vetshare.InvalidError]; nothing panics.
func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{
		"frontdesk@clinic.example", `"Front Desk" <FrontDesk@Clinic.example>`, `"front desk"@clinic.example`,
		`"a\"b"@x.example`, `"a..b"@x.example`, `"plain"@x.example`, "  o'brien+vets@x.example ",
		"Jörg@Müller.example", "test@[127.0.0.1]", "(comment)a@b.example", "a@b", "@", "", "a@b@c",
		"=?utf-8?q?J=C3=B6rg?= <j@x.example>", `"\\"@x.example`, "a\x00@x.example", "\xff@x.example",
		`"Ünïcode"@x.example`, "a.@x.example", `"."@x.example`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := vetshare.NormalizeEmail("Email", s)
		if err != nil {
			var inv *vetshare.InvalidError
			if !errors.Is(err, vetshare.ErrInvalid) || !errors.As(err, &inv) || inv.Field != "Email" {
				t.Fatalf("NormalizeEmail(%q): %v, want an *InvalidError for Email", s, err)
			}
			return
		}
		again, err := vetshare.NormalizeEmail("Email", n)
		if err != nil || again != n {
			t.Fatalf("NormalizeEmail(%q) = %q, then %q, %v: not a fixed point", s, n, again, err)
		}
		// Case in the local part and the domain does not matter (ASCII letters; the
		// addr-spec itself, so that a display name's encoded words are left alone).
		for _, v := range []string{asciiUpper(n), asciiLower(n), asciiToggle(n)} {
			if got, err := vetshare.NormalizeEmail("Email", v); err != nil || got != n {
				t.Fatalf("NormalizeEmail(%q) = %q, but NormalizeEmail(%q) = %q, %v", s, n, v, got, err)
			}
		}
	})
}

// FuzzValidID, R12.3 and R11.4: ValidID never panics, agrees for every id type, and accepts only
// what R12.3 allows a host to give (1 to 64 bytes of UTF-8 without control characters or
// surrounding spaces); NewID is valid at any instant.
func FuzzValidID(f *testing.F) {
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for _, s := range []string{"", "0", vetshare.NewID[string](now), "01JGZ5W3R8T7Q0A1B2C3D4E5F6", "8ZZZZZZZZZZZZZZZZZZZZZZZZZ",
		"01jgz5w3r8t7q0a1b2c3d4e5f6", "client-42", " x", "x ", "a\x00b", strings.Repeat("x", 64), strings.Repeat("x", 65),
		"Ünïcode", "\xff", "\u200B"} {
		f.Add(s, now.UnixMicro())
	}
	f.Add("", int64(-1))
	f.Add("", int64(1<<62))
	f.Fuzz(func(t *testing.T, s string, us int64) {
		ok := vetshare.ValidID(s)
		if vetshare.ValidID(vetshare.ClientID(s)) != ok || vetshare.ValidID(vetshare.OwnerID(s)) != ok ||
			vetshare.ValidID(vetshare.RecordID(s)) != ok {
			t.Fatalf("ValidID(%q) differs between id types", s)
		}
		if ok && (len(s) == 0 || len(s) > 64 || !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) ||
			strings.TrimSpace(s) != s) {
			t.Fatalf("ValidID(%q) = true: not an id R12.3 allows", s)
		}
		at := time.UnixMicro(us)
		if id := vetshare.NewID[vetshare.ClientID](at); !vetshare.ValidID(id) {
			t.Fatalf("NewID at %v = %q, not valid", at, id)
		}
	})
}

// FuzzCheckTime, R11.1: CheckTime accepts the zero time and exactly the instants of the years
// 1 to 9999 in UTC, in whatever zone they are given, and vetshare.Time keeps them in bounds.
// (Storing and reading accepted times back is records.FuzzTimeRoundTrip.)
func FuzzCheckTime(f *testing.F) {
	f.Add(int64(0), int64(0), int32(0))
	f.Add(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), int64(0), int32(0))
	f.Add(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), int64(-1), int32(3600))
	f.Add(time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix(), int64(999999999), int32(-3600))
	f.Add(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), int64(0), int32(50400))
	f.Add(int64(-300000*365*86400), int64(0), int32(0))
	f.Add(int64(1<<62), int64(1<<62), int32(-1<<31))
	f.Fuzz(func(t *testing.T, sec, nsec int64, offset int32) {
		at := time.Unix(sec, nsec).In(time.FixedZone("", int(offset)))
		err := vetshare.CheckTime("At", at)
		y := at.UTC().Year()
		want := at.IsZero() || 1 <= y && y <= 9999
		if (err == nil) != want {
			t.Fatalf("CheckTime(%v) = %v; year %d", at, err, y)
		}
		if err != nil {
			if !errors.Is(err, vetshare.ErrInvalid) {
				t.Fatalf("CheckTime(%v) = %v, not ErrInvalid", at, err)
			}
			return
		}
		if err := vetshare.CheckTime("At", vetshare.Time(at)); err != nil && !at.IsZero() {
			t.Fatalf("CheckTime(Time(%v)) = %v", at, err)
		}
	})
}

// asciiUpper, asciiLower and asciiToggle change the case of ASCII letters only, byte by byte,
// leaving every other byte (invalid UTF-8 too) as it is.
func asciiUpper(s string) string { return asciiCase(s, false) }

func asciiLower(s string) string { return asciiCase(s, true) }

// asciiToggle swaps the case of every other ASCII letter, starting with the first.
func asciiToggle(s string) string {
	b := []byte(s)
	n := 0
	for i, c := range b {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			if n%2 == 0 {
				b[i] = c ^ 0x20
			}
			n++
		}
	}
	return string(b)
}

func asciiCase(s string, lower bool) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case lower && 'A' <= c && c <= 'Z':
			b[i] = c + 'a' - 'A'
		case !lower && 'a' <= c && c <= 'z':
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// FuzzAuditHash, R10.2: a change of one byte in any field of an entry, or one byte added to it,
// changes its hash (audit.FuzzVerify makes the same changes to stored entries).
func FuzzAuditHash(f *testing.F) {
	f.Add("owner", int64(1), int64(1767603600000000), "user", "account", "client.share", "client:1", "ok", `{"a":1}`, "", "", []byte{}, uint8(0), uint16(0), byte(1), false)
	f.Add("o", int64(2), int64(0), "", "", "a", "", "", "", "op", "req", []byte{1, 2, 3}, uint8(9), uint16(0), byte(0x80), true)
	f.Add("o", int64(2), int64(-1), "", "", "", "", "", "", "", "", []byte(nil), uint8(10), uint16(0), byte(1), true)
	f.Fuzz(func(t *testing.T, owner string, seq, at int64, user, account, action, subject, outcome, detail, opID, reqID string,
		prev []byte, field uint8, pos uint16, xor byte, add bool) {
		fields := [][]byte{[]byte(owner), binary.BigEndian.AppendUint64(nil, uint64(seq)), binary.BigEndian.AppendUint64(nil, uint64(at)),
			[]byte(user), []byte(account), []byte(action), []byte(subject), []byte(outcome), []byte(detail), []byte(opID), []byte(reqID), prev}
		entry := func(fs [][]byte) vetshare.AuditEntry {
			return vetshare.AuditEntry{OwnerID: vetshare.OwnerID(fs[0]), Seq: int64(binary.BigEndian.Uint64(fs[1])),
				At: time.UnixMicro(int64(binary.BigEndian.Uint64(fs[2]))), UserID: vetshare.UserID(fs[3]),
				AccountID: vetshare.AccountID(fs[4]), Action: string(fs[5]), Subject: string(fs[6]), Outcome: string(fs[7]),
				Detail: string(fs[8]), OperationID: vetshare.OperationID(fs[9]), RequestID: string(fs[10]), PrevHash: fs[11]}
		}
		i := int(field) % len(fields)
		changed := slices.Clone(fields)
		v := slices.Clone(fields[i])
		if xor == 0 {
			xor = 1
		}
		if (add || len(v) == 0) && i != 1 && i != 2 { // Seq and At are 8 bytes
			v = slices.Insert(v, int(pos)%(len(v)+1), xor)
		} else {
			v[int(pos)%len(v)] ^= xor
		}
		changed[i] = v
		a, b := entry(fields), entry(changed)
		if bytes.Equal(vetshare.AuditHash(a), vetshare.AuditHash(b)) {
			t.Fatalf("field %d changed from %x to %x: the same hash", i, fields[i], v)
		}
	})
}
