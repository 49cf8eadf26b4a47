// Package reliability holds no code of its own: its tests are the proof of what RELIABILITY.md,
// at the root of the module, promises about failures (R11.2, R11.3), each test named after the
// rule it holds:
//
//   - TestR11_2CrashLosesNothing runs a child process that writes multi-statement operations
//     and kills it with SIGKILL at random moments; after each kill the file is checked: SQLite's
//     integrity and foreign-key checks, every acknowledged write present, no operation half
//     done, stock and balances equal to their ledgers, the audit chain intact.
//   - TestR11_2EveryDriverFailureLeavesNothing fails, for each multi-call operation, each of its
//     storage calls in turn, and checks the error comes back and the database is as before.
//   - TestR11_2CancelledAnywhereLeavesNothing cancels random operations at random points and
//     checks the errors, the database, and that no goroutine or connection outlives the store.
//
// Run them longer with the flags -kills and -cancels, or with make crash and make cancel.
package reliability
