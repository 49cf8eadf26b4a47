package driver

import (
	"context"
	"time"

	"github.com/vetshare/vetshare"
)

// ReportQuery selects the client entries of one account that a client report looks at, and says
// which facts about each the store computes. Every range is half-open, [from, before); a zero
// bound is open.
type ReportQuery struct {
	Account vetshare.AccountID
	// CreatedFrom and CreatedBefore select the entries by when they were created.
	CreatedFrom, CreatedBefore time.Time
	// VisitsBefore, when set, asks for each entry's last visit before it, by the time given
	// (R8.2, R12.4): the latest GivenAt of the records added at Account for the client's
	// patients and not removed, and of the invoices of Account for the client that are not
	// void.
	VisitsBefore time.Time
	// PaidBefore, when set, asks for the latest instant before it at which an invoice of
	// Account for the client became paid (invoices paid now), by [vetshare.Invoice.PaidAt]:
	// the time given of its last payment.
	PaidBefore time.Time
	// ByCreation orders the entries by creation time, then client number; otherwise they come
	// by client number.
	ByCreation bool
}

// ReportsTx answers the client reports (package reports).
type ReportsTx interface {
	// ReportEntries calls fn with each client entry q selects, in q's order, as a [vetshare.ReportRow]
	// with ClientSince, the client's details, HomeAccount (always, whatever the sharing) and
	// the facts q asks for; LastVisit and LastPaid stay zero where there is none or q does
	// not ask. HomeName is left empty. Rows are read one at a time, so the entries are never
	// held in memory together; fn must not use the transaction. ReportEntries stops at fn's
	// first error and returns it as it is.
	ReportEntries(ctx context.Context, q ReportQuery, fn func(vetshare.ReportRow) error) error
}
