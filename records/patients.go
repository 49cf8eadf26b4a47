package records

import (
	"context"
	"errors"
	"strings"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/auditlog"
	"github.com/vetshare/vetshare/internal/cursor"
	"github.com/vetshare/vetshare/internal/member"
	"github.com/vetshare/vetshare/internal/txn"
)

// AddPatient adds a patient to a client from the actor's account, which must share the client
// (else [vetshare.ErrNotFound]). The patient is seen by every account that shares the client,
// now and later (R2.4). Name and Species are required. The patient keeps p.ID when the host
// gives one ([vetshare.ErrInvalid] when it is malformed, [vetshare.ErrConflict] when it is taken)
// and gets a new one otherwise (R12.3). When the actor's account is not the client's origin, the
// write is audited as a cross-account write (R10.1).
func AddPatient(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, p vetshare.Patient) (vetshare.Patient, error) {
	const op = "records.AddPatient"
	defer txn.Begin(tx)()
	if err := accounts.CheckName("Name", p.Name); err != nil {
		return vetshare.Patient{}, vetshare.Op(op, err)
	}
	if err := accounts.CheckName("Species", p.Species); err != nil {
		return vetshare.Patient{}, vetshare.Op(op, err)
	}
	if err := accounts.CheckText("Breed", p.Breed, MaxField, false); err != nil {
		return vetshare.Patient{}, vetshare.Op(op, err)
	}
	if !vetshare.ValidID(p.ClientID) {
		return vetshare.Patient{}, vetshare.Op(op, vetshare.Invalid("ClientID", "malformed id"))
	}
	now := tx.Now()
	if err := vetshare.CheckTime("BirthDate", p.BirthDate); err != nil {
		return vetshare.Patient{}, vetshare.Op(op, err)
	}
	id, err := vetshare.IDOrNew("ID", p.ID, now)
	if err != nil {
		return vetshare.Patient{}, vetshare.Op(op, err)
	}
	if p.BirthDate.After(now) {
		return vetshare.Patient{}, vetshare.Op(op, vetshare.Invalid("BirthDate", "in the future"))
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Patient{}, vetshare.Op(op, err)
	}
	c, err := txn.D(tx).Client(ctx, actor.Account, p.ClientID)
	if err != nil {
		return vetshare.Patient{}, vetshare.Op(op, err)
	}
	p.ID, p.OriginAccount, p.CreatedBy, p.CreatedAt = id, actor.Account, actor.User, now
	p.Name, p.Species, p.Breed = strings.TrimSpace(p.Name), strings.TrimSpace(p.Species), strings.TrimSpace(p.Breed)
	if !p.BirthDate.IsZero() {
		p.BirthDate = vetshare.Time(p.BirthDate)
	}
	if err := txn.IDTaken(txn.D(tx).InsertPatient(ctx, p), "patient", p.ID); err != nil {
		return vetshare.Patient{}, vetshare.Op(op, err)
	}
	if actor.Account != c.OriginAccount {
		if err := auditlog.Write(ctx, tx, c.OwnerID, actor, "patient.add", "patient:"+string(p.ID), audit.OK,
			map[string]any{"client": c.ID}); err != nil {
			return vetshare.Patient{}, vetshare.Op(op, err)
		}
	}
	return p, nil
}

// Patient returns a patient as the actor's account sees it; [vetshare.ErrNotFound] unless the
// account shares the patient's client (R3.1, R3.3).
func Patient(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.PatientID) (vetshare.Patient, error) {
	const op = "records.Patient"
	if err := vetshare.CheckID("id", id); err != nil {
		return vetshare.Patient{}, vetshare.Op(op, err)
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Patient{}, vetshare.Op(op, err)
	}
	p, err := txn.D(tx).Patient(ctx, actor.Account, id)
	if errors.Is(err, vetshare.ErrNotFound) {
		// R13.5: a patient merged away resolves to the patient that replaced it. A failure of
		// the store on the way is that failure, not "not found".
		a, aerr := txn.D(tx).Account(ctx, actor.Account)
		if aerr != nil {
			return p, vetshare.Op(op, aerr)
		}
		s, rerr := txn.D(tx).PatientReplacedBy(ctx, a.OwnerID, id)
		switch {
		case errors.Is(rerr, vetshare.ErrNotFound):
			// not merged away: the patient is not found
		case rerr != nil:
			err = rerr
		default:
			p, err = txn.D(tx).Patient(ctx, actor.Account, s)
		}
	}
	return p, vetshare.Op(op, err)
}

// Patients lists the client's patients as the actor's account sees them, in the order they were
// added (by the time recorded, then name, then id). It pages with [vetshare.Page]: next is the
// cursor of the next page, empty after the last; a client has few patients, so each page is cut
// from all of them. [vetshare.ErrNotFound] unless the account shares the client;
// [vetshare.ErrInvalid] for a bad limit or a cursor of another list.
func Patients(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, client vetshare.ClientID, page vetshare.Page) (rows []vetshare.Patient, next vetshare.Cursor, err error) {
	const op = "records.Patients"
	limit, err := cursor.Limit(page)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	after, err := cursor.Read(op, page.After, 3)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if err := vetshare.CheckID("client", client); err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if _, err := txn.D(tx).ClientEntry(ctx, actor.Account, client); err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	rows, err = txn.D(tx).Patients(ctx, actor.Account, client)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	rows, next = cursor.Cut(op, rows, after, limit, func(p vetshare.Patient) []string {
		return []string{cursor.Time(p.CreatedAt), p.Name, string(p.ID)}
	})
	return rows, next, nil
}

// AddRecord adds a medical record to a patient, stamped with the actor's account and user
// (R3.2), from an account that shares the patient's client (else [vetshare.ErrNotFound]). Text is
// required. GivenAt is when it happened at the clinic, zero for the transaction's time; more
// than [vetshare.MaxGivenAhead] after the transaction's time, or a time no store keeps, is
// refused with [vetshare.ErrInvalid] (R12.4). Usages (Kind [vetshare.RecordUsage]) move stock and schedule reminders and are
// added with AddUsage instead; AddRecord refuses them. When the actor's account is not the
// client's origin, the write is audited as a cross-account write (R10.1).
func AddRecord(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, r vetshare.Record) (vetshare.Record, error) {
	const op = "records.AddRecord"
	defer txn.Begin(tx)()
	switch {
	case !r.Kind.Valid():
		return vetshare.Record{}, vetshare.Op(op, vetshare.Invalid("Kind", "must be note, usage, lab or attachment"))
	case r.Kind == vetshare.RecordUsage:
		return vetshare.Record{}, vetshare.Op(op, vetshare.Invalid("Kind", "a usage is added as a usage, with its item and quantity"))
	case r.ItemID != "" || r.Quantity != 0:
		return vetshare.Record{}, vetshare.Op(op, vetshare.Invalid("ItemID", "only usages name an item"))
	}
	if err := accounts.CheckText("Text", r.Text, MaxText, true); err != nil {
		return vetshare.Record{}, vetshare.Op(op, err)
	}
	p, c, err := patientForWrite(ctx, tx, actor, r.PatientID)
	if err != nil {
		return vetshare.Record{}, vetshare.Op(op, err)
	}
	given, err := vetshare.GivenTime("GivenAt", r.GivenAt, tx.Now())
	if err != nil {
		return vetshare.Record{}, vetshare.Op(op, err)
	}
	r.ID, r.AccountID, r.UserID, r.GivenAt, r.CreatedAt, r.Removed = vetshare.NewID[vetshare.RecordID](tx.Now()), actor.Account, actor.User, given, tx.Now(), nil
	if err := txn.D(tx).InsertRecord(ctx, &r); err != nil {
		return vetshare.Record{}, vetshare.Op(op, err)
	}
	return r, vetshare.Op(op, auditCrossAccount(ctx, tx, actor, c.OwnerID, c.OriginAccount, "record.add", "record:"+string(r.ID), map[string]any{"patient": p.ID, "kind": r.Kind}))
}

// patientForWrite checks the actor and returns the patient and its client as the actor's
// account sees them.
func patientForWrite(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.PatientID) (vetshare.Patient, vetshare.Client, error) {
	if err := checkWrite(actor, id); err != nil {
		return vetshare.Patient{}, vetshare.Client{}, err
	}
	// The store checks the actor in the read of the patient.
	p, c, err := txn.D(tx).PatientWithClient(ctx, actor.Account, id, actor.User)
	return p, c, member.Refusal(ctx, tx, actor, err)
}

// checkWrite checks, without a read, what a write to a patient's chart is given: the patient's
// id and the actor's form. The store checks the rest in its read of the patient.
func checkWrite(actor vetshare.Actor, id vetshare.PatientID) error {
	if !vetshare.ValidID(id) {
		return vetshare.Invalid("PatientID", "malformed id")
	}
	return accounts.CheckActor(actor)
}

// auditCrossAccount writes an audit entry when the actor's account is not the client's origin.
func auditCrossAccount(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, owner vetshare.OwnerID, origin vetshare.AccountID,
	action, subject string, detail any) error {
	if actor.Account == origin {
		return nil
	}
	return auditlog.Write(ctx, tx, owner, actor, action, subject, audit.OK, detail)
}

// Record returns a record as the actor's account sees it, removed or not; [vetshare.ErrNotFound]
// unless the account shares the patient's client.
func Record(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.RecordID) (vetshare.Record, error) {
	const op = "records.Record"
	if err := vetshare.CheckID("id", id); err != nil {
		return vetshare.Record{}, vetshare.Op(op, err)
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Record{}, vetshare.Op(op, err)
	}
	r, err := txn.D(tx).Record(ctx, actor.Account, id)
	return r, vetshare.Op(op, err)
}

// HistoryQuery selects whose history [History] lists.
type HistoryQuery struct {
	Patient vetshare.PatientID
	// IncludeRemoved lists removed records too (R5.3 keeps them, out of the history).
	IncludeRemoved bool
}

// History lists a patient's medical records in the order they happened: by the time given,
// then the order they were recorded (R12.4), as the actor's account sees them: every record of the patient, whichever account
// added it, each stamped with that account and user (R3.1, R3.2). Removed records are left out
// unless asked for. It pages with [vetshare.Page]: next is the cursor of the next page, empty
// after the last. [vetshare.ErrNotFound] unless the account shares the patient's client;
// [vetshare.ErrInvalid] for a bad limit or a cursor of another list.
func History(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, q HistoryQuery, page vetshare.Page) (rows []vetshare.Record, next vetshare.Cursor, err error) {
	const op = "records.History"
	limit, err := cursor.Limit(page)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	after, err := cursor.Read(op, page.After, 1)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if err := vetshare.CheckID("Patient", q.Patient); err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if err := accounts.CheckActor(actor); err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	// The actor's membership is checked by the statement that reads the records (Member): a
	// page with rows was read by an active member, and Records lists only what the account
	// sees, so it needs no other read. An empty page reads the membership apart, to refuse a
	// non-member, then the patient, to tell an empty history from a patient the account cannot
	// see (or one merged away, whose records moved to the survivor).
	dq := driver.RecordQuery{Account: actor.Account, Patient: q.Patient, IncludeRemoved: q.IncludeRemoved, Limit: limit + 1, Member: actor.User}
	if after != nil {
		dq.AfterID = vetshare.RecordID(after[0])
	}
	rows, err = txn.D(tx).Records(ctx, dq)
	if err != nil {
		return nil, "", vetshare.Op(op, err)
	}
	if len(rows) == 0 {
		if _, err := accounts.Check(ctx, tx, actor); err != nil {
			return nil, "", vetshare.Op(op, err)
		}
		if _, err := txn.D(tx).Patient(ctx, actor.Account, q.Patient); err != nil {
			return nil, "", vetshare.Op(op, err)
		}
	}
	rows, next = cursor.Trim(op, rows, limit, func(r vetshare.Record) []string { return []string{string(r.ID)} })
	return rows, next, nil
}

// RemoveRecord removes a record added to the wrong account (R5.3): it is kept, marked removed
// with who removed it, from which account and why, and no longer listed in the history. Only the
// account that added it may remove it ([vetshare.ErrNotPermitted] otherwise), a reason is
// required, and a record already removed is a [vetshare.ErrConflict]. A usage moves stock and
// reminders and is removed with RemoveUsage instead; RemoveRecord refuses it. The removal is
// written to the audit log (R10.1).
func RemoveRecord(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.RecordID, reason string) (vetshare.Record, error) {
	const op = "records.RemoveRecord"
	defer txn.Begin(tx)()
	r, c, err := recordForRemoval(ctx, tx, actor, id, reason)
	if err != nil {
		return vetshare.Record{}, vetshare.Op(op, err)
	}
	if r.Kind == vetshare.RecordUsage {
		return vetshare.Record{}, vetshare.Op(op, vetshare.Invalid("id", "the record is a usage: remove it as a usage, which returns its stock"))
	}
	r, err = markRemoved(ctx, tx, actor, r, c, reason)
	return r, vetshare.Op(op, err)
}

// recordForRemoval checks a removal and returns the record and its client.
func recordForRemoval(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, id vetshare.RecordID, reason string) (vetshare.Record, vetshare.Client, error) {
	if !vetshare.ValidID(id) {
		return vetshare.Record{}, vetshare.Client{}, vetshare.Invalid("id", "malformed id")
	}
	if err := accounts.CheckText("reason", reason, MaxField, true); err != nil {
		return vetshare.Record{}, vetshare.Client{}, err
	}
	if _, err := accounts.Check(ctx, tx, actor); err != nil {
		return vetshare.Record{}, vetshare.Client{}, err
	}
	r, err := txn.D(tx).Record(ctx, actor.Account, id)
	if err != nil {
		return vetshare.Record{}, vetshare.Client{}, err
	}
	if r.AccountID != actor.Account {
		e := &vetshare.NotPermittedError{User: actor.User, Account: r.AccountID,
			Reason: "the record was added at another clinic: only that clinic may remove it"}
		if a, err := txn.D(tx).Account(ctx, r.AccountID); err == nil {
			e.AccountName, e.Reason = a.Name, "the record was added at "+a.Name+": only "+a.Name+" may remove it"
		}
		return vetshare.Record{}, vetshare.Client{}, e
	}
	if r.Removed != nil {
		return vetshare.Record{}, vetshare.Client{}, &vetshare.ConflictError{Kind: "record", ID: string(id), Reason: "the record was already removed"}
	}
	_, c, err := txn.D(tx).PatientWithClient(ctx, actor.Account, r.PatientID, "")
	return r, c, err
}

// markRemoved marks a checked record removed and audits it.
func markRemoved(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, r vetshare.Record, c vetshare.Client, reason string) (vetshare.Record, error) {
	rm := vetshare.Removal{At: tx.Now(), UserID: actor.User, AccountID: actor.Account, Reason: strings.TrimSpace(reason)}
	if err := txn.D(tx).RemoveRecord(ctx, r.ID, rm); err != nil {
		return vetshare.Record{}, err
	}
	r.Removed = &rm
	err := auditlog.Write(ctx, tx, c.OwnerID, actor, "record.remove", "record:"+string(r.ID), audit.OK,
		map[string]any{"patient": r.PatientID, "reason": rm.Reason})
	return r, err
}
