// Package compose reads, with a driver's single-purpose calls, what a driver call may read in
// one statement: for a store without that statement, and for a store's rarer paths (a read
// that found no row and must say what was missing).
package compose

import (
	"context"
	"slices"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

// UsageFacts is [driver.RemindersTx.UsageFacts] read by d's PatientWithClient, Item,
// DisableActions, OpenReminders and PatientUsages, in that order, so that its errors come as
// the contract says.
func UsageFacts(ctx context.Context, d driver.Tx, account vetshare.AccountID, patient vetshare.PatientID, member vetshare.UserID,
	item vetshare.ItemID, given time.Time) (driver.UsageFacts, error) {
	_, c, err := d.PatientWithClient(ctx, account, patient, member)
	if err != nil {
		return driver.UsageFacts{}, err
	}
	f := driver.UsageFacts{Owner: c.OwnerID, Origin: c.OriginAccount}
	if f.Item, err = d.Item(ctx, item); err != nil {
		return driver.UsageFacts{}, err
	}
	if f.Actions, err = d.DisableActions(ctx, item); err != nil {
		return driver.UsageFacts{}, err
	}
	if f.Open, err = d.OpenReminders(ctx, patient, Targets(account, item, f.Actions)); err != nil {
		return driver.UsageFacts{}, err
	}
	later, err := d.PatientUsages(ctx, patient, given)
	f.Later = len(later) > 0
	return f, err
}

// Targets returns the items whose reminders a usage of item at account completes: the item,
// and the target of each of its actions configured at account, by id. It is
// reminders.TargetList's rule, written again so that the stores, which this package serves, do
// not import a domain package; a test holds the two equal.
func Targets(account vetshare.AccountID, item vetshare.ItemID, actions []vetshare.DisableAction) []vetshare.ItemID {
	out := []vetshare.ItemID{item}
	for _, a := range actions {
		if a.AccountID == account && a.ItemID == item && !slices.Contains(out, a.TargetItemID) {
			out = append(out, a.TargetItemID)
		}
	}
	slices.Sort(out)
	return out
}

// OpenReminder is an open reminder as a store's one read of a usage's facts gives it in a JSON
// array (both stores name its fields so): its patient is the one read for, its status open.
type OpenReminder struct {
	ID      vetshare.ReminderID `json:"id"`
	Account vetshare.AccountID  `json:"account"`
	Item    vetshare.ItemID     `json:"item"`
	Usage   vetshare.RecordID   `json:"usage"`
	Kind    string              `json:"kind"`
	Due     int64               `json:"due"`     // microseconds since the Unix epoch
	Created int64               `json:"created"` // microseconds since the Unix epoch
}

// Reminder returns r as the reminder of patient it is.
func (r OpenReminder) Reminder(patient vetshare.PatientID) vetshare.Reminder {
	return vetshare.Reminder{ID: r.ID, PatientID: patient, AccountID: r.Account, ItemID: r.Item, UsageID: r.Usage, Kind: r.Kind,
		Due: time.UnixMicro(r.Due).UTC(), Status: vetshare.ReminderOpen, CreatedAt: time.UnixMicro(r.Created).UTC()}
}
