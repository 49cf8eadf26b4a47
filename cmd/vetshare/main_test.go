package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-msgauth/dkim"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/sqlite"
)

// TestMain lets the test binary be the command: testscript runs "vetshare" and
// "vetshare-fixture" as this binary, and the interrupt test runs it with VETSHARE_TEST_MAIN.
func TestMain(m *testing.M) {
	switch os.Getenv("VETSHARE_TEST_MAIN") {
	case "1":
		os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	case "fixture":
		os.Exit(fixtureMain(os.Args[1:]))
	}
	testscript.Main(m, map[string]func(){
		"vetshare":         func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
		"vetshare-fixture": func() { os.Exit(fixtureMain(os.Args[1:])) },
	})
}

// TestScripts runs the scripts of testdata/script: the command as a support person runs it, on
// a real SQLite file the fixture makes, with signed and forged messages.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script", RequireExplicitExec: true})
}

// fixtureMain writes, in the current directory, clinic.db: the owner Riverside Veterinary Group
// with its clinics North, South and East, and another owner's clinic, Hill; users Alice Admin
// (owner of North, admin of South, whose address is North's on file), Sam Staff (staff at North)
// Sue South (admin of South, whose address is South's on file) and Hal Hill; historical clients at North and South (no group yet); items with reminder rules.
// And keys.txt, the DKIM keys of north.example and evil.example, and the messages:
//
//	signed.eml        Alice asks to share North and South, signed by north.example
//	from-changed.eml  signed.eml with its From changed after signing
//	body-altered.eml  signed.eml with its body changed after signing (the mode)
//	other-domain.eml  Alice's request signed by evil.example
//	unsigned.eml      Alice's request, not signed
//	remove.eml        Sue South (admin of South, its address) asks South to leave, signed
//	staff.eml         Sam Staff asks, signed by north.example
//
// -clients N adds N more historical clients at North, for the backfill tests.
func fixtureMain(args []string) int {
	fs := flag.NewFlagSet("vetshare-fixture", flag.ContinueOnError)
	extra := fs.Int("clients", 0, "more historical clients at North")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := makeFixture(context.Background(), ".", *extra); err != nil {
		fmt.Fprintln(os.Stderr, "vetshare-fixture:", err)
		return 1
	}
	return 0
}

func makeFixture(ctx context.Context, dir string, extra int) error {
	s, err := sqlite.Open(ctx, filepath.Join(dir, "clinic.db"))
	if err != nil {
		return err
	}
	defer s.Close()
	err = s.Update(ctx, func(tx *vetshare.Tx) error {
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
	if err != nil {
		return err
	}
	return writeMessages(dir)
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

func writeMessages(dir string) error {
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

// R1.9: each way a message's signature fails is its own reason, a *SignatureError matching
// its kind and sharing.ErrSignatureInvalid; a validly signed message verifies.
func TestR1_9SignatureReasons(t *testing.T) {
	dir := t.TempDir()
	if err := writeMessages(dir); err != nil {
		t.Fatal(err)
	}
	lookup, err := readKeys(filepath.Join(dir, "keys.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		want error // nil: verified
	}{
		{"signed.eml", nil},
		{"from-changed.eml", ErrHeaderAltered},
		{"body-altered.eml", ErrBodyAltered},
		{"other-domain.eml", ErrOtherDomain},
		{"unsigned.eml", ErrUnsigned},
	} {
		t.Run(tc.file, func(t *testing.T) {
			m, err := readMessage(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			sig := verifySignature(m, lookup)
			if tc.want == nil {
				if !sig.Verified || sig.Err != nil {
					t.Fatalf("not verified: %s", sig.Words)
				}
				return
			}
			if sig.Verified {
				t.Fatalf("verified, want %v", tc.want)
			}
			if !errors.Is(sig.Err, tc.want) || !errors.Is(sig.Err, sharing.ErrSignatureInvalid) {
				t.Errorf("err = %v, want it to match %v and sharing.ErrSignatureInvalid", sig.Err, tc.want)
			}
			for _, other := range []error{ErrUnsigned, ErrHeaderAltered, ErrBodyAltered, ErrOtherDomain, ErrSignatureBroken} {
				if other != tc.want && errors.Is(sig.Err, other) {
					t.Errorf("err = %v also matches %v: each failure must be its own reason", sig.Err, other)
				}
			}
		})
	}
}

// R2.9: Ctrl-C during a backfill stops it after the batch in hand; the same command resumes
// from the saved point, and every client ends with exactly one entry per clinic.
func TestR2_9BackfillInterruptResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("makes a few thousand clients")
	}
	dir := t.TempDir()
	const extra = 3000
	if err := makeFixture(context.Background(), dir, extra); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "clinic.db")
	cli := func(args ...string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "VETSHARE_TEST_MAIN=1", "VETSHARE_DB="+db)
		cmd.Dir = dir
		return cmd
	}
	if out, err := cli("request", "approve", "--dkim-keys", "keys.txt", "signed.eml").CombinedOutput(); err != nil {
		t.Fatalf("approve: %v\n%s", err, out)
	}
	first := cli("backfill", "--clinic", "North", "--as", "alice@north.example", "--batch-size", "20")
	stdout, err := first.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	first.Stderr = &stderr
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() {
		t.Fatalf("no progress line; stderr: %s", stderr.String())
	}
	if err := first.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	err = first.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
		t.Fatalf("interrupted backfill: %v, want exit %d; stderr: %s", err, exitInterrupted, stderr.String())
	}
	if !strings.Contains(stderr.String(), "run the same command to resume") {
		t.Errorf("stderr = %q, want the resume hint", stderr.String())
	}
	state, err := os.ReadFile(db + ".backfill-north.json")
	if err != nil {
		t.Fatalf("no resume point: %v", err)
	}
	t.Logf("stopped after %d more progress lines; state %s", len(lines), state)

	out, err := cli("backfill", "--clinic", "North", "--as", "alice@north.example", "--batch-size", "500").CombinedOutput()
	if err != nil {
		t.Fatalf("resumed backfill: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "resuming where it stopped") || !strings.Contains(string(out), "backfill done") {
		t.Errorf("resumed backfill said:\n%s", out)
	}
	if _, err := os.Stat(db + ".backfill-north.json"); !os.IsNotExist(err) {
		t.Errorf("the resume point outlived a finished backfill: %v", err)
	}
	// Every client of North and South now has exactly one entry at each, and a third run
	// creates nothing (R2.7).
	s, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var clients, entries, dups int
	q := s.DB().QueryRow(`SELECT (SELECT count(*) FROM vetshare_clients),
		(SELECT count(*) FROM vetshare_client_entries WHERE account_id IN ('north', 'south')),
		(SELECT count(*) FROM (SELECT client_id FROM vetshare_client_entries GROUP BY client_id, account_id HAVING count(*) > 1))`)
	if err := q.Scan(&clients, &entries, &dups); err != nil {
		t.Fatal(err)
	}
	if want := 5 + extra; clients != want || entries != 2*want || dups != 0 {
		t.Errorf("clients %d, entries at North and South %d, duplicates %d; want %d, %d, 0", clients, entries, dups, want, 2*want)
	}
	out, err = cli("backfill", "--clinic", "North", "--as", "alice@north.example", "--json").CombinedOutput()
	if err != nil {
		t.Fatalf("third backfill: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), `"shared":0`) {
		t.Errorf("a third backfill shared something:\n%s", out)
	}
}
