package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

const patientCols = `p.id, p.client_id, p.name, p.species, p.breed, p.birth_date, p.origin_account, p.created_by, p.created_at`

func (t *dtx) patients(ctx context.Context, query string, args ...any) ([]vetshare.Patient, error) {
	var out []vetshare.Patient
	err := t.each(ctx, func(r pgx.Rows) error {
		var p vetshare.Patient
		var birth *int64
		var created int64
		err := r.Scan(&p.ID, &p.ClientID, &p.Name, &p.Species, &p.Breed, &birth, &p.OriginAccount, &p.CreatedBy, &created)
		p.BirthDate, p.CreatedAt = fromNull(birth), fromMicros(created)
		out = append(out, p)
		return err
	}, query, args...)
	return out, err
}

// InsertPatient implements [driver.Tx].
func (t *dtx) InsertPatient(ctx context.Context, p vetshare.Patient) error {
	o, err := t.acct(ctx, p.OriginAccount)
	if err != nil || o == "" {
		return orNotFound(err, vetshare.NotFound("account", p.OriginAccount))
	}
	return t.write(ctx, func() error {
		_, err := t.exec(ctx, `INSERT INTO vetshare.patients (owner_id, id, client_id, name, species, breed, birth_date, origin_account, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			o, p.ID, p.ClientID, p.Name, p.Species, p.Breed, micros(p.BirthDate), p.OriginAccount, p.CreatedBy, micros(p.CreatedAt))
		return err
	})
}

// patientSeenFrom ends a read of the owner's ($1) patient p ($3) as seen from an account ($2):
// the account has an entry for its client, and the patient was not merged away.
const patientSeenFrom = `
	JOIN vetshare.client_entries e ON e.owner_id = $1 AND e.client_id = p.client_id AND e.account_id = $2
	WHERE p.owner_id = $1 AND p.id = $3 AND NOT EXISTS (SELECT 1 FROM vetshare.patient_replaced x WHERE x.owner_id = $1 AND x.patient_id = p.id)`

// Patient implements [driver.Tx].
func (t *dtx) Patient(ctx context.Context, account vetshare.AccountID, id vetshare.PatientID) (vetshare.Patient, error) {
	notFound := vetshare.NotFound("patient", id)
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return vetshare.Patient{}, orNotFound(err, notFound)
	}
	ps, err := t.patients(ctx, `SELECT `+patientCols+` FROM vetshare.patients p`+patientSeenFrom, o, account, id)
	if err != nil || len(ps) == 0 {
		return vetshare.Patient{}, orNotFound(err, notFound)
	}
	return ps[0], nil
}

// PatientWithClient implements [driver.Tx]; a member is checked by a read of its own.
func (t *dtx) PatientWithClient(ctx context.Context, account vetshare.AccountID, id vetshare.PatientID, member vetshare.UserID) (vetshare.Patient, vetshare.Client, error) {
	if member != "" {
		if err := t.checkMember(ctx, member, account); err != nil {
			return vetshare.Patient{}, vetshare.Client{}, err
		}
	}
	notFound := vetshare.NotFound("patient", id)
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return vetshare.Patient{}, vetshare.Client{}, orNotFound(err, notFound)
	}
	var p vetshare.Patient
	var c vetshare.Client
	var birth *int64
	var created int64
	found := false
	err = t.each(ctx, func(r pgx.Rows) error {
		found = true
		return scanClient(r, &c, &p.ID, &p.ClientID, &p.Name, &p.Species, &p.Breed, &birth, &p.OriginAccount, &p.CreatedBy, &created)
	}, `SELECT `+clientCols+`, `+patientCols+` FROM vetshare.patients p
		JOIN vetshare.clients c ON c.owner_id = $1 AND c.id = p.client_id`+patientSeenFrom, o, account, id)
	if err != nil || !found {
		return vetshare.Patient{}, vetshare.Client{}, orNotFound(err, notFound)
	}
	p.BirthDate, p.CreatedAt = fromNull(birth), fromMicros(created)
	return p, c, nil
}

// Patients implements [driver.Tx].
func (t *dtx) Patients(ctx context.Context, account vetshare.AccountID, client vetshare.ClientID) ([]vetshare.Patient, error) {
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return nil, err
	}
	return t.patients(ctx, `SELECT `+patientCols+` FROM vetshare.client_entries e JOIN vetshare.patients p ON p.owner_id = $1 AND p.client_id = e.client_id
		WHERE e.owner_id = $1 AND e.account_id = $2 AND e.client_id = $3 AND NOT EXISTS (SELECT 1 FROM vetshare.patient_replaced x WHERE x.owner_id = $1 AND x.patient_id = p.id)
		ORDER BY p.created_at, p.name, p.id`, o, account, client)
}

// patientsOfFrom follows the columns of PatientsOf and PatientNamesOf: the patients of the
// owner $1's clients $2, by client as asked, then age, without those merged away.
const patientsOfFrom = ` FROM unnest($2::text[]) WITH ORDINALITY AS j (id, n)
		JOIN vetshare.patients p ON p.owner_id = $1 AND p.client_id = j.id
		WHERE NOT EXISTS (SELECT 1 FROM vetshare.patient_replaced x WHERE x.owner_id = $1 AND x.patient_id = p.id)
		ORDER BY j.n, p.created_at, p.name, p.id`

// PatientsOf implements [driver.Tx].
func (t *dtx) PatientsOf(ctx context.Context, clients []vetshare.ClientID) ([]vetshare.Patient, error) {
	o, err := t.clientsOwner(ctx, clients)
	if err != nil || o == "" {
		return nil, err
	}
	return t.patients(ctx, `SELECT `+patientCols+patientsOfFrom, o, strs(clients))
}

// PatientNamesOf implements [driver.Tx]: PatientsOf's statement with four of its columns.
func (t *dtx) PatientNamesOf(ctx context.Context, clients []vetshare.ClientID) ([]driver.PatientName, error) {
	o, err := t.clientsOwner(ctx, clients)
	if err != nil || o == "" {
		return nil, err
	}
	var out []driver.PatientName
	err = t.each(ctx, func(r pgx.Rows) error {
		var p driver.PatientName
		err := r.Scan(&p.ID, &p.ClientID, &p.Name, &p.Species)
		out = append(out, p)
		return err
	}, `SELECT p.id, p.client_id, p.name, p.species`+patientsOfFrom, o, strs(clients))
	return out, err
}

const recordCols = `r.id, r.patient_id, r.account_id, r.user_id, r.kind, r.text, r.item_id, r.quantity, r.given_at, r.created_at,
	r.seq, r.removed_at, r.removed_by, r.removed_account, r.removed_reason`

func scanRecord(rows pgx.Rows, r *vetshare.Record, more ...any) error {
	var item, by, acct, reason *string
	var given, created int64
	var removed *int64
	err := rows.Scan(append([]any{&r.ID, &r.PatientID, &r.AccountID, &r.UserID, &r.Kind, &r.Text, &item, &r.Quantity, &given, &created,
		&r.Seq, &removed, &by, &acct, &reason}, more...)...)
	r.ItemID, r.GivenAt, r.CreatedAt = vetshare.ItemID(deref(item)), fromMicros(given), fromMicros(created)
	if removed != nil {
		r.Removed = &vetshare.Removal{At: fromNull(removed), UserID: vetshare.UserID(deref(by)),
			AccountID: vetshare.AccountID(deref(acct)), Reason: deref(reason)}
	}
	return err
}

func (t *dtx) records(ctx context.Context, query string, args ...any) ([]vetshare.Record, error) {
	var out []vetshare.Record
	err := t.each(ctx, func(rows pgx.Rows) error {
		var r vetshare.Record
		err := scanRecord(rows, &r)
		out = append(out, r)
		return err
	}, query, args...)
	return out, err
}

// InsertRecord implements [driver.Tx]. The recording sequence comes from the sequence
// vetshare.seq, which only grows.
func (t *dtx) InsertRecord(ctx context.Context, r *vetshare.Record) error {
	o, err := t.acct(ctx, r.AccountID)
	if err != nil || o == "" {
		return orNotFound(err, vetshare.NotFound("account", r.AccountID))
	}
	given := r.GivenAt
	if given.IsZero() {
		given = r.CreatedAt
	}
	var seq int64
	err = t.write(ctx, func() error {
		return t.row(ctx, nil, []any{&seq}, `INSERT INTO vetshare.records (owner_id, id, patient_id, account_id, user_id, kind, text, item_id, quantity,
			given_at, created_at, seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, nextval('vetshare.seq')) RETURNING seq`,
			o, r.ID, r.PatientID, r.AccountID, r.UserID, string(r.Kind), r.Text, nullString(string(r.ItemID)), r.Quantity,
			micros(given), micros(r.CreatedAt))
	})
	if err != nil {
		return err
	}
	r.GivenAt, r.Seq = vetshare.Time(given), seq
	return nil
}

// recordScope joins a record to the entry of its patient's client in the account asking ($2).
const recordScope = ` FROM vetshare.records r JOIN vetshare.patients p ON p.owner_id = $1 AND p.id = r.patient_id
	JOIN vetshare.client_entries e ON e.owner_id = $1 AND e.client_id = p.client_id AND e.account_id = $2`

// Record implements [driver.Tx].
func (t *dtx) Record(ctx context.Context, account vetshare.AccountID, id vetshare.RecordID) (vetshare.Record, error) {
	notFound := vetshare.NotFound("record", id)
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return vetshare.Record{}, orNotFound(err, notFound)
	}
	rs, err := t.records(ctx, `SELECT `+recordCols+recordScope+` WHERE r.owner_id = $1 AND r.id = $3`, o, account, id)
	if err != nil || len(rs) == 0 {
		return vetshare.Record{}, orNotFound(err, notFound)
	}
	return rs[0], nil
}

// Records implements [driver.Tx].
func (t *dtx) Records(ctx context.Context, q driver.RecordQuery) ([]vetshare.Record, error) {
	o, err := t.acct(ctx, q.Account)
	if err != nil || o == "" {
		return nil, err
	}
	query := qRecords[0]
	if q.AfterID != "" {
		query = qRecords[1]
	}
	return t.records(ctx, query, o, q.Account, q.Patient, q.AfterID, q.IncludeRemoved, limitArg(q.Limit), q.Member)
}

// qRecords reads a page of a patient's history as one range of the index on records (owner_id,
// patient_id, given_at, seq): the first page from the patient's first record, a later one from
// just after the cursor ($4, which the first page's statement names only to type it). Two
// statements, so that no generic plan has to serve both.
var qRecords = [2]string{recordsPage("AND $4::text = ''"), recordsPage(
	"AND (r.given_at, r.seq) > (SELECT x.given_at, x.seq FROM vetshare.records x WHERE x.owner_id = $1 AND x.id = $4)")}

func recordsPage(after string) string {
	return `SELECT ` + recordCols + recordScope + `
		WHERE r.owner_id = $1 AND r.patient_id = $3 ` + after + `
		AND ($5 OR r.removed_at IS NULL) AND ($7 = '' OR ` + memberOf("$7", "$2") + `) ORDER BY r.given_at, r.seq LIMIT $6`
}

// RemoveRecord implements [driver.Tx].
func (t *dtx) RemoveRecord(ctx context.Context, id vetshare.RecordID, rm vetshare.Removal) error {
	o, err := t.bare(ctx, "record", string(id))
	if err != nil || o == "" {
		return orNotFound(err, vetshare.NotFound("record", id))
	}
	var n int64
	err = t.write(ctx, func() (err error) {
		n, err = t.exec(ctx, `UPDATE vetshare.records SET removed_at = $3, removed_by = $4, removed_account = $5, removed_reason = $6
			WHERE owner_id = $1 AND id = $2 AND removed_at IS NULL`, o, id, micros(rm.At), rm.UserID, rm.AccountID, rm.Reason)
		return err
	})
	if err != nil || n == 1 {
		return err
	}
	var exists bool
	if err := t.row(ctx, nil, []any{&exists}, `SELECT EXISTS (SELECT 1 FROM vetshare.records WHERE owner_id = $1 AND id = $2)`, o, id); err != nil {
		return err
	}
	if !exists {
		return vetshare.NotFound("record", id)
	}
	return &vetshare.ConflictError{Kind: "record", ID: string(id), Reason: "the record was already removed"}
}
