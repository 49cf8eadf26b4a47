// Package cli is the support desk's command, vetshare, as a library: every subcommand, its flags,
// its help and its exit codes. It is internal: the two programs that run it are its only users.
// cmd/vetshare is the SQLite build, in the root module; postgres/cmd/vetshare, in the postgres
// module, adds a PostgreSQL opener, so that pgx never enters the root module's graph. Each calls
// [Main] with the [Openers] it links in.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
)

// The exit codes.
const (
	exitOK          = 0
	exitRefused     = 1
	exitUsage       = 2
	exitFailed      = 3
	exitInterrupted = 130
)

// Main runs the command with args and returns its exit code. openers are the databases this
// build can open, by the scheme of --db (see [Openers]). The first Ctrl-C asks the command to
// stop at its next safe point (a backfill finishes its batch); a second one kills it.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer, openers Openers) int {
	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt)
	defer signal.Stop(interrupt)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	env := &env{stdin: stdin, stdout: stdout, stderr: stderr, stop: make(chan struct{}), openers: openers}
	go func() {
		select {
		case <-interrupt:
		case <-ctx.Done():
			return
		}
		close(env.stop)
		select {
		case <-interrupt:
			os.Exit(exitInterrupted)
		case <-ctx.Done():
		}
	}()
	return run(ctx, env, args)
}

// env is what a command reads and writes.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// stop is closed when the user presses Ctrl-C.
	stop chan struct{}
	// openers open --db.
	openers Openers
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"request", "check, approve or remove a sharing request delivered as email (R1.9)", runRequest},
		{"group", "show a clinic's share group: mode, members, join and leave dates", runGroup},
		{"setup-report", "the missing disable-reminder actions and today's duplicate reminders", runSetupReport},
		{"backfill", "share a group's historical clients, resumable after Ctrl-C", runBackfill},
		{"duplicates", "find the group's likely duplicate clients (scan), and list them best first", runDuplicates},
		{"report", "one of the six client reports, as a table or CSV", runReport},
		{"audit", "verify the audit log's chain, or list its entries with their evidence", runAudit},
		{"doctor", "check the database's integrity", runDoctor},
	}
}

const mainUsage = `vetshare is the support desk's tool for a vetshare database.

Usage:

	vetshare COMMAND [flags] [arguments]

Commands:
%s
Every command takes --db FILE (or $VETSHARE_DB), --json for scripts, and --help.
Commands that act for a clinic take --clinic NAME_OR_ID and --as EMAIL (or $VETSHARE_AS),
the support user or clinic admin who acts; a sharing request acts as its sender.

Exit codes: 0 done, 1 refused, 2 bad usage or input, 3 the database failed, 130 interrupted.

Example: check a request a clinic emailed in, then approve it:

	vetshare request check --db clinic.db request.eml
	vetshare request approve --db clinic.db request.eml
`

func usage(w io.Writer) {
	var b strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&b, "\t%-13s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, mainUsage, b.String())
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return run(ctx, e, []string{args[1], "--help"})
		}
		usage(e.stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return exitCode(e, c.run(ctx, e, args[1:]))
		}
	}
	fmt.Fprintf(e.stderr, "vetshare: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return exitUsage
}

// exitError is an error with the exit code it ends the command with. A nil err is a result
// already printed.
type exitError struct {
	code int
	err  error
}

func (x *exitError) Error() string {
	if x.err == nil {
		return fmt.Sprintf("exit %d", x.code)
	}
	return x.err.Error()
}
func (x *exitError) Unwrap() error { return x.err }

func usageErr(format string, args ...any) error {
	return &exitError{exitUsage, fmt.Errorf(format, args...)}
}

// silent ends the command with code after it printed its result.
func silent(code int) error { return &exitError{code: code} }

var errHelp = errors.New("help shown")

func exitCode(e *env, err error) int {
	if err == nil || errors.Is(err, errHelp) {
		return exitOK
	}
	var x *exitError
	if errors.As(err, &x) {
		if x.err != nil {
			fmt.Fprintln(e.stderr, "vetshare:", x.err)
		}
		return x.code
	}
	fmt.Fprintln(e.stderr, "vetshare:", err)
	return classify(err)
}
