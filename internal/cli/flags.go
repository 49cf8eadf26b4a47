package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
)

// flags are the flags every command shares, on a FlagSet of its own.
type flags struct {
	*flag.FlagSet
	e     *env
	help  string
	db    string
	json  bool
	as    string
	clnc  string
	actor bool // the command takes --as and --clinic
}

// newFlags makes a command's flags; help is its --help text, usage line and example included.
func newFlags(e *env, name, help string, actor bool) *flags {
	f := &flags{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), e: e, help: help, actor: actor}
	f.SetOutput(io.Discard)
	f.StringVar(&f.db, "db", os.Getenv("VETSHARE_DB"), "the database: a SQLite `file`, or a postgres:// DSN in the PostgreSQL build ($VETSHARE_DB)")
	f.BoolVar(&f.json, "json", false, "print JSON, for scripts")
	if actor {
		f.StringVar(&f.as, "as", os.Getenv("VETSHARE_AS"), "the acting user's `email` ($VETSHARE_AS)")
		f.StringVar(&f.clnc, "clinic", "", "the clinic acted from, by `name or id`")
	}
	return f
}

// parse parses args, flags and arguments in any order, and returns the arguments. --help
// prints the help to stdout and returns errHelp.
func (f *flags) parse(args []string) ([]string, error) {
	var rest []string
	for {
		if err := f.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				f.printHelp(f.e.stdout)
				return nil, errHelp
			}
			return nil, usageErr("%s: %v (see vetshare %s --help)", f.Name(), err, f.Name())
		}
		args = f.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

func (f *flags) printHelp(w io.Writer) {
	fmt.Fprint(w, strings.TrimLeft(f.help, "\n"))
	fmt.Fprintln(w, "\nFlags:")
	f.SetOutput(w)
	f.PrintDefaults()
	f.SetOutput(io.Discard)
	fmt.Fprintln(w, "\nExit codes: 0 done, 1 refused, 2 bad usage or input, 3 the database failed, 130 interrupted.")
}

// open opens the database --db names.
func (f *flags) open(ctx context.Context) (*Database, error) {
	return openDatabase(ctx, f.e.openers, f.db)
}

// emitJSON writes v as indented JSON.
func emitJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// table writes aligned columns.
type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer, header ...string) *table {
	t := &table{tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	if len(header) > 0 {
		t.row(header...)
	}
	return t
}

func (t *table) row(cells ...string) {
	fmt.Fprintln(t.tw, strings.Join(cells, "\t"))
}

func (t *table) flush() { t.tw.Flush() }
