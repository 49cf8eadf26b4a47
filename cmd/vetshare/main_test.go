package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/vetshare/vetshare/internal/cli"
	"github.com/vetshare/vetshare/internal/cli/clitest"
	"github.com/vetshare/vetshare/sqlite"
)

// TestMain lets the test binary be the command: testscript runs "vetshare" and
// "vetshare-fixture" as this binary, and the interrupt test runs it with VETSHARE_TEST_MAIN.
func TestMain(m *testing.M) {
	switch os.Getenv("VETSHARE_TEST_MAIN") {
	case "1":
		os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, openers()))
	case "fixture":
		os.Exit(fixtureMain(os.Args[1:]))
	}
	testscript.Main(m, map[string]func(){
		"vetshare":         func() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, openers())) },
		"vetshare-fixture": func() { os.Exit(fixtureMain(os.Args[1:])) },
	})
}

// TestScripts runs the scripts of testdata/script: the command as a support person runs it, on
// a real SQLite file the fixture makes, with signed and forged messages.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script", RequireExplicitExec: true})
}

// fixtureMain writes, in the current directory, clinic.db, a SQLite database filled by
// clitest.Populate, and the keys and messages of clitest.WriteMessages. -clients N adds N more
// historical clients at North, for the backfill tests.
func fixtureMain(args []string) int {
	fs := flag.NewFlagSet("vetshare-fixture", flag.ContinueOnError)
	extra := fs.Int("clients", 0, "more historical clients at North")
	dups := fs.Bool("duplicates", false, "add clitest.PopulateDuplicates's clients")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := makeFixture(context.Background(), ".", *extra); err != nil {
		fmt.Fprintln(os.Stderr, "vetshare-fixture:", err)
		return 1
	}
	if *dups {
		s, err := sqlite.Open(context.Background(), "clinic.db")
		if err == nil {
			err = clitest.PopulateDuplicates(context.Background(), s)
			if cerr := s.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "vetshare-fixture:", err)
			return 1
		}
	}
	return 0
}

// makeFixture makes dir/clinic.db and the messages in dir.
func makeFixture(ctx context.Context, dir string, extra int) error {
	s, err := sqlite.Open(ctx, filepath.Join(dir, "clinic.db"))
	if err != nil {
		return err
	}
	defer s.Close()
	if err := clitest.Populate(ctx, s, extra); err != nil {
		return err
	}
	return clitest.WriteMessages(dir)
}

// exitInterrupted is the command's exit code after Ctrl-C.
const exitInterrupted = 130

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
