package vetsharetest

import (
	"context"
	"fmt"
	"os"
	"testing"
)

// ExampleTB is a [testing.TB] for code that has no test of its own, such as an Example
// function, so that it can set up with this package too:
//
//	tb := vetsharetest.NewExampleTB()
//	defer tb.Close()
//	s := vetsharetest.Open(tb)
//
// Fatal, Fatalf, Error, Errorf, Fail and FailNow panic with the message; Helper does nothing;
// Log and Logf write to standard error; TempDir makes a directory that Close removes; Cleanup
// registers a function that Close calls. Its other methods panic.
type ExampleTB struct {
	testing.TB // nil: it only supplies the interface's unexported method

	cleanups []func()
	dirs     []string
}

// NewExampleTB returns an ExampleTB; call Close when done.
func NewExampleTB() *ExampleTB { return &ExampleTB{} }

// Close calls the functions registered with Cleanup, last first, and removes the directories
// TempDir made.
func (e *ExampleTB) Close() {
	for i := len(e.cleanups) - 1; i >= 0; i-- {
		e.cleanups[i]()
	}
	e.cleanups = nil
	for _, d := range e.dirs {
		os.RemoveAll(d)
	}
	e.dirs = nil
}

// Cleanup registers f to be called by Close.
func (e *ExampleTB) Cleanup(f func()) { e.cleanups = append(e.cleanups, f) }

// TempDir returns a new temporary directory, removed by Close. It panics when none can be made.
func (e *ExampleTB) TempDir() string {
	d, err := os.MkdirTemp("", "vetsharetest-")
	if err != nil {
		panic(err)
	}
	e.dirs = append(e.dirs, d)
	return d
}

// Context returns context.Background().
func (e *ExampleTB) Context() context.Context { return context.Background() }

// Helper does nothing.
func (e *ExampleTB) Helper() {}

// Name returns "Example".
func (e *ExampleTB) Name() string { return "Example" }

// Failed reports false: a failure panics.
func (e *ExampleTB) Failed() bool { return false }

// Log writes its arguments to standard error, as fmt.Fprintln does.
func (e *ExampleTB) Log(args ...any) { fmt.Fprintln(os.Stderr, args...) }

// Logf writes to standard error, as fmt.Fprintf does, with a newline.
func (e *ExampleTB) Logf(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }

// Fatal panics with its arguments, formatted as fmt.Sprint does.
func (e *ExampleTB) Fatal(args ...any) { panic(fmt.Sprint(args...)) }

// Fatalf panics with the formatted message.
func (e *ExampleTB) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

// Error panics as Fatal does: an example has no failure to report later.
func (e *ExampleTB) Error(args ...any) { e.Fatal(args...) }

// Errorf panics as Fatalf does.
func (e *ExampleTB) Errorf(format string, args ...any) { e.Fatalf(format, args...) }

// Fail panics.
func (e *ExampleTB) Fail() { panic("vetsharetest: Fail") }

// FailNow panics.
func (e *ExampleTB) FailNow() { panic("vetsharetest: FailNow") }
