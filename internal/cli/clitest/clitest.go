// Package clitest makes what the support desk's command is tested on, whatever the engine: a
// store's clinics, users and clients, and signed and forged request messages with the DKIM keys
// that verify them (made by the test, so nothing goes to DNS).
//
// [Populate] fills a new, empty store: the owner Riverside Veterinary Group with its clinics
// North, South and East, and another owner's clinic, Hill; users Alice Admin (owner of North,
// admin of South, whose address is North's on file), Sam Staff (staff at North), Sue South
// (admin of South, whose address is South's on file) and Hal Hill; historical clients at North
// and South (no group yet); items with reminder rules. [WriteMessages] writes keys.txt, the
// DKIM keys of north.example, south.example and evil.example, and the messages:
//
//	signed.eml        Alice asks to share North and South, signed by north.example
//	from-changed.eml  signed.eml with its From changed after signing
//	body-altered.eml  signed.eml with its body changed after signing (the mode)
//	other-domain.eml  Alice's request signed by evil.example
//	unsigned.eml      Alice's request, not signed
//	remove.eml        Sue South (admin of South, its address) asks South to leave, signed
//	staff.eml         Sam Staff asks, signed by north.example
package clitest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
)

// PopulateDuplicates adds, to a store [Populate] filled, the same person twice, Mary Walsh at
// North and at South with the phone written two ways (a match); Tom and Ana Reyes, one at each,
// with one email (a possible match: a family); and a namesake, Jonas Müller at South with a
// phone North's has not (graded possible, but with nothing else in common, not in the report),
// for the duplicate tests.
func PopulateDuplicates(ctx context.Context, s vetshare.Store) error {
	return s.Update(ctx, func(tx *vetshare.Tx) error {
		north, south := vetshare.Actor{User: "alice", Account: "north"}, vetshare.Actor{User: "alice", Account: "south"}
		for _, c := range []struct {
			at vetshare.Actor
			c  vetshare.Client
		}{
			{north, vetshare.Client{LastName: "Walsh", FirstName: "Mary", Phone: "555 123 4567"}},
			{south, vetshare.Client{LastName: "walsh", FirstName: "mary", Phone: "(555) 123-4567"}},
			{south, vetshare.Client{LastName: "Muller", FirstName: "Jonas", Phone: "555 000 9999"}},
			{north, vetshare.Client{LastName: "Reyes", FirstName: "Tom", Email: "reyes@home.example"}},
			{south, vetshare.Client{LastName: "Reyes", FirstName: "Ana", Email: "reyes@home.example"}},
		} {
			if _, _, err := records.CreateClient(ctx, tx, c.at, c.c); err != nil {
				return err
			}
		}
		return nil
	})
}

// Populate fills s, a new store, with the package comment's owners, clinics, users and clients,
// and extra more historical clients at North (for backfill tests). It returns the first error
// an operation returned.
func Populate(ctx context.Context, s vetshare.Store, extra int) error {
	return s.Update(ctx, func(tx *vetshare.Tx) error {
		o, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{ID: "riverside", Name: "Riverside Veterinary Group"})
		if err != nil {
			return err
		}
		o2, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{ID: "hillside", Name: "Hillside Pets"})
		if err != nil {
			return err
		}
		acct := func(id, owner, name, email string) error {
			_, err := accounts.CreateAccount(ctx, tx, vetshare.Account{ID: vetshare.AccountID(id), OwnerID: vetshare.OwnerID(owner), Name: name,
				Email: email, EmailVerified: true, TimeZone: "America/Chicago", Currency: "USD"})
			return err
		}
		for _, a := range [][4]string{
			{"north", string(o.ID), "North", "alice@north.example"},
			{"south", string(o.ID), "South", "frontdesk@south.example"},
			{"east", string(o.ID), "East", "east@east.example"},
			{"hill", string(o2.ID), "Hill", "hal@hill.example"},
		} {
			if err := acct(a[0], a[1], a[2], a[3]); err != nil {
				return err
			}
		}
		for _, u := range []vetshare.User{
			{ID: "alice", Name: "Alice Admin", Email: "alice@north.example", EmailVerified: true, Active: true},
			{ID: "sam", Name: "Sam Staff", Email: "sam@north.example", EmailVerified: true, Active: true},
			{ID: "hal", Name: "Hal Hill", Email: "hal@hill.example", EmailVerified: true, Active: true},
			{ID: "sue", Name: "Sue South", Email: "frontdesk@south.example", EmailVerified: true, Active: true},
		} {
			if _, err := accounts.CreateUser(ctx, tx, u); err != nil {
				return err
			}
		}
		for _, m := range []vetshare.Membership{
			{UserID: "alice", AccountID: "north", Role: vetshare.RoleOwner, Permissions: vetshare.PermAll, Active: true},
			{UserID: "alice", AccountID: "south", Role: vetshare.RoleAdmin, Permissions: vetshare.PermAll, Active: true},
			{UserID: "sam", AccountID: "north", Role: vetshare.RoleStaff, Active: true},
			{UserID: "sue", AccountID: "south", Role: vetshare.RoleAdmin, Permissions: vetshare.PermAll, Active: true},
			{UserID: "hal", AccountID: "hill", Role: vetshare.RoleOwner, Permissions: vetshare.PermAll, Active: true},
		} {
			if err := accounts.Grant(ctx, tx, m); err != nil {
				return err
			}
		}
		north := vetshare.Actor{User: "alice", Account: "north"}
		south := vetshare.Actor{User: "alice", Account: "south"}
		for _, c := range []struct {
			at          vetshare.Actor
			last, first string
		}{{north, "Rogers", "Fred"}, {north, "O'Brien", "Kate"}, {north, "Müller", "Jonas"}, {south, "Nguyen", "Lan"}, {south, "Smith", "Ada"}} {
			if _, _, err := records.CreateClient(ctx, tx, c.at, vetshare.Client{LastName: c.last, FirstName: c.first}); err != nil {
				return err
			}
		}
		for i := range extra {
			if _, _, err := records.CreateClient(ctx, tx, north, vetshare.Client{LastName: fmt.Sprintf("Client %05d", i)}); err != nil {
				return err
			}
		}
		yearly := vetshare.Interval{Count: 1, Unit: vetshare.Years}
		for _, it := range []struct {
			at   vetshare.Actor
			name string
		}{{north, "Rabies vaccine"}, {south, "Rabies 1yr"}} {
			if _, err := inventory.CreateItem(ctx, tx, it.at, vetshare.Item{Name: it.name, Kind: vetshare.ItemProduct,
				Reminders: []vetshare.ReminderRule{{Kind: "Rabies", Interval: yearly}}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// The messages' body, as a clinic would write it.
const requestBody = "Hello support,\r\n\r\nPlease turn on record sharing between our clinics.\r\n\r\nAction: enable\r\nClinics: North, South\r\nMode: automatic\r\n\r\nThanks,\r\nAlice\r\n"

func header(from, subject string) string {
	return "From: " + from + "\r\nTo: support@vetshare.example\r\nSubject: " + subject +
		"\r\nDate: Mon, 05 Jan 2026 09:30:00 +0000\r\nMessage-ID: <req-1@north.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
}

// sign signs msg with key for domain, selector s1.
func sign(msg string, domain string, key ed25519.PrivateKey) ([]byte, error) {
	var b bytes.Buffer
	err := dkim.Sign(&b, strings.NewReader(msg), &dkim.SignOptions{Domain: domain, Selector: "s1", Signer: key,
		HeaderKeys: []string{"From", "To", "Subject", "Date", "Message-ID"}})
	return b.Bytes(), err
}

// WriteMessages writes, in dir, keys.txt (the DKIM keys of north.example, south.example and
// evil.example, made now) and the request messages the package comment lists.
func WriteMessages(dir string) error {
	northPub, northKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	southPub, southKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	evilPub, evilKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	keys := fmt.Sprintf("# DKIM keys, as DNS would publish them\ns1._domainkey.north.example v=DKIM1; k=ed25519; p=%s\ns1._domainkey.south.example v=DKIM1; k=ed25519; p=%s\ns1._domainkey.evil.example v=DKIM1; k=ed25519; p=%s\n",
		base64.StdEncoding.EncodeToString(northPub), base64.StdEncoding.EncodeToString(southPub), base64.StdEncoding.EncodeToString(evilPub))
	files := map[string][]byte{"keys.txt": []byte(keys)}

	request := header("Alice Admin <alice@north.example>", "Record sharing for North and South") + requestBody
	signed, err := sign(request, "north.example", northKey)
	if err != nil {
		return err
	}
	files["signed.eml"] = signed
	files["from-changed.eml"] = bytes.Replace(signed, []byte("From: Alice Admin <alice@north.example>"), []byte("From: Alice Admin <frontdesk@south.example>"), 1)
	files["body-altered.eml"] = bytes.Replace(signed, []byte("Mode: automatic"), []byte("Mode: manual"), 1)
	if files["other-domain.eml"], err = sign(request, "evil.example", evilKey); err != nil {
		return err
	}
	files["unsigned.eml"] = []byte(request)
	remove := header("Sue South <frontdesk@south.example>", "South leaves") + "Please take South out of the group.\r\n\r\nAction: remove\r\nClinics: South\r\n"
	if files["remove.eml"], err = sign(remove, "south.example", southKey); err != nil {
		return err
	}
	staff := header("Sam Staff <sam@north.example>", "Sharing please") + strings.Replace(requestBody, "Alice", "Sam", 1)
	if files["staff.eml"], err = sign(staff, "north.example", northKey); err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
