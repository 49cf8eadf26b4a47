package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/sqlitesearch"
)

const patientCols = `p.id, p.client_id, p.name, p.species, p.breed, p.birth_date, p.origin_account, p.created_by, p.created_at`

func scanPatient(r *sql.Rows, p *vetshare.Patient) error {
	dest, done := patientDest(p)
	err := r.Scan(dest...)
	done()
	return err
}

// patientDest returns the destinations of patientCols for p, and done, which sets p's dates
// from them once they are scanned.
func patientDest(p *vetshare.Patient) (dest []any, done func()) {
	var birth sql.NullInt64
	var created int64
	return []any{&p.ID, &p.ClientID, &p.Name, &p.Species, &p.Breed, &birth, &p.OriginAccount, &p.CreatedBy, &created}, func() {
		p.BirthDate, p.CreatedAt = fromMicros(birth), time.UnixMicro(created).UTC()
	}
}

// InsertPatient implements [*vetshare.Tx].
func (t *dtx) InsertPatient(ctx context.Context, p vetshare.Patient) error {
	_, err := t.exec(ctx, `INSERT INTO vetshare_patients (id, client_id, name, species, breed, birth_date, origin_account, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.ClientID, p.Name, p.Species, p.Breed, micros(p.BirthDate), p.OriginAccount, p.CreatedBy, micros(p.CreatedAt))
	return err
}

// patientSeenFrom ends a read of patient p (?2) as seen from an account (?1): the account
// has an entry for its client, and the patient was not merged away.
const patientSeenFrom = `
	JOIN vetshare_client_entries e ON e.client_id = p.client_id AND e.account_id = ?1
	WHERE p.id = ?2 AND NOT EXISTS (SELECT 1 FROM vetshare_patient_replaced x WHERE x.patient_id = p.id)`

// Patient implements [*vetshare.Tx].
func (t *dtx) Patient(ctx context.Context, account vetshare.AccountID, id vetshare.PatientID) (vetshare.Patient, error) {
	var p vetshare.Patient
	err := t.queryRow(ctx, vetshare.NotFound("patient", id), func(r *sql.Rows) error { return scanPatient(r, &p) },
		`SELECT `+patientCols+` FROM vetshare_patients p`+patientSeenFrom, account, id)
	return p, err
}

// PatientWithClient implements [driver.RecordsTx].
func (t *dtx) PatientWithClient(ctx context.Context, account vetshare.AccountID, id vetshare.PatientID, member vetshare.UserID) (vetshare.Patient, vetshare.Client, error) {
	var p vetshare.Patient
	var c vetshare.Client
	cDest, cDone := clientDest(&c)
	pDest, pDone := patientDest(&p)
	dest := append(cDest, pDest...)
	notFound := vetshare.NotFound("patient", id)
	var err error
	if member != "" {
		// The member's read, the patient and its client joined to it, and the last recording
		// sequence for the record a write to the chart inserts next.
		var last sql.NullInt64
		if err = t.memberRead(ctx, qPatientAs, member, account, notFound, []any{id}, append(dest, &last)...); err == nil {
			t.keepLastSeq(last.Int64)
		}
	} else {
		err = t.queryRow(ctx, notFound, func(r *sql.Rows) error { return r.Scan(dest...) },
			`SELECT `+clientCols+`, `+patientCols+` FROM vetshare_patients p JOIN vetshare_clients c ON c.id = p.client_id`+patientSeenFrom, account, id)
	}
	if err != nil {
		return vetshare.Patient{}, vetshare.Client{}, err
	}
	cDone()
	pDone()
	return p, c, nil
}

// qPatientAs is PatientWithClient's read with a member (?1), the account ?2 and the patient
// ?3: a member's check (memberCheck), joined to the patient as patientSeenFrom reads it and
// its client, with lastSeqCol.
var qPatientAs = memberCheck(", "+clientCols+", "+patientCols+", "+lastSeqCol, patientAsJoins)

// patientAsJoins joins a member's check to the patient ?3 as patientSeenFrom reads it
// from the account ?2, and to its client.
const patientAsJoins = `
		JOIN vetshare_patients p ON p.id = ?3 AND NOT EXISTS (SELECT 1 FROM vetshare_patient_replaced x WHERE x.patient_id = p.id)
		JOIN vetshare_client_entries e ON e.client_id = p.client_id AND e.account_id = ?2
		JOIN vetshare_clients c ON c.id = p.client_id`

// Patients implements [*vetshare.Tx].
func (t *dtx) Patients(ctx context.Context, account vetshare.AccountID, client vetshare.ClientID) ([]vetshare.Patient, error) {
	var out []vetshare.Patient
	err := t.each(ctx, func(r *sql.Rows) error {
		var p vetshare.Patient
		err := scanPatient(r, &p)
		out = append(out, p)
		return err
	}, `SELECT `+patientCols+` FROM vetshare_client_entries e JOIN vetshare_patients p ON p.client_id = e.client_id
		WHERE e.account_id = ? AND e.client_id = ?
			AND NOT EXISTS (SELECT 1 FROM vetshare_patient_replaced x WHERE x.patient_id = p.id)
		ORDER BY p.created_at, p.name, p.id`, account, client)
	return out, err
}

// PatientsOf implements [*vetshare.Tx].
func (t *dtx) PatientsOf(ctx context.Context, clients []vetshare.ClientID) ([]vetshare.Patient, error) {
	return ofClients(ctx, t, clients, scanPatient, `SELECT `+patientCols+patientsOfFrom)
}

// patientsOfFrom follows the columns of PatientsOf and PatientNamesOf: the patients of the
// clients ? (a JSON array), by client as asked, then age (vetshare_patients_client's order
// within a client), without those merged away.
const patientsOfFrom = ` FROM json_each(?) j JOIN vetshare_patients p ON p.client_id = j.value
		WHERE NOT EXISTS (SELECT 1 FROM vetshare_patient_replaced x WHERE x.patient_id = p.id)
		ORDER BY j.key, p.created_at, p.name, p.id`

// PatientNamesOf implements [*vetshare.Tx]: PatientsOf's statement with the four columns a
// candidate shows, which vetshare_patients_client covers.
func (t *dtx) PatientNamesOf(ctx context.Context, clients []vetshare.ClientID) ([]driver.PatientName, error) {
	return ofClients(ctx, t, clients, func(r *sql.Rows, p *driver.PatientName) error { return r.Scan(&p.ID, &p.ClientID, &p.Name, &p.Species) },
		`SELECT p.id, p.client_id, p.name, p.species`+patientsOfFrom)
}

const recordCols = `r.id, r.patient_id, r.account_id, r.user_id, r.kind, r.text, r.item_id, r.quantity, r.given_at, r.created_at,
	r.seq, r.removed_at, r.removed_by, r.removed_account, r.removed_reason`

func scanRecord(rows *sql.Rows, r *vetshare.Record, more ...any) error {
	var item, by, acct, reason sql.NullString
	var given, created int64
	var removed sql.NullInt64
	err := rows.Scan(append([]any{&r.ID, &r.PatientID, &r.AccountID, &r.UserID, &r.Kind, &r.Text, &item, &r.Quantity, &given, &created,
		&r.Seq, &removed, &by, &acct, &reason}, more...)...)
	r.ItemID, r.GivenAt, r.CreatedAt = vetshare.ItemID(item.String), time.UnixMicro(given).UTC(), time.UnixMicro(created).UTC()
	if removed.Valid {
		r.Removed = &vetshare.Removal{At: fromMicros(removed), UserID: vetshare.UserID(by.String),
			AccountID: vetshare.AccountID(acct.String), Reason: reason.String}
	}
	return err
}

// InsertRecord implements [*vetshare.Tx]. The record takes the store's next recording
// sequence, max(seq) + 1 by the index records_seq: writers are serialized, so it is taken once.
// When this transaction knows the last sequence (lastSeq), the insert is a plain one with the
// number known: measured on the small set, half the time of the INSERT … RETURNING that
// reads the number back, which SQLite runs as a query whose row it keeps aside.
func (t *dtx) InsertRecord(ctx context.Context, r *vetshare.Record) error {
	given := r.GivenAt
	if given.IsZero() {
		given = r.CreatedAt
	}
	args := []any{r.ID, r.PatientID, r.AccountID, r.UserID, string(r.Kind), r.Text, nullString(string(r.ItemID)), r.Quantity,
		micros(given), micros(r.CreatedAt)}
	var seq int64
	if t.lastSeq != nil {
		seq = *t.lastSeq + 1
		if _, err := t.exec(ctx, qInsertRecord+`?)`, append(args, seq)...); err != nil {
			return err
		}
	} else {
		err := t.queryRow(ctx, nil, func(rows *sql.Rows) error { return rows.Scan(&seq) },
			qInsertRecord+`(SELECT coalesce(max(seq), 0) + 1 FROM vetshare_records)) RETURNING seq`, args...)
		if err != nil {
			return err
		}
	}
	t.keepLastSeq(seq)
	r.GivenAt, r.Seq = vetshare.Time(given), seq
	return nil
}

// qInsertRecord is InsertRecord's statement up to its last value, the sequence.
const qInsertRecord = `INSERT INTO vetshare_records (id, patient_id, account_id, user_id, kind, text, item_id, quantity, given_at, created_at, seq)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, `

// lastSeqCol is the column a read before a record's insert adds to learn the store's last
// recording sequence (NULL for no record), kept by keepLastSeq.
const lastSeqCol = `(SELECT max(seq) FROM vetshare_records)`

// keepLastSeq keeps the last recording sequence, as a read gave it (0 for no record) or
// InsertRecord took it, in a write transaction of the store's own only: there every record is
// inserted by this transaction's InsertRecord, which moves it on; a host may wrap its one
// *sql.Tx in several of ours, as for tip.
func (t *dtx) keepLastSeq(n int64) {
	if t.ownWrite() {
		t.lastSeq = &n
	}
}

// recordScope joins a record to the entry of its patient's client in the account asking.
const recordScope = ` FROM vetshare_records r JOIN vetshare_patients p ON p.id = r.patient_id
	JOIN vetshare_client_entries e ON e.client_id = p.client_id AND e.account_id = ?`

// Record implements [*vetshare.Tx].
func (t *dtx) Record(ctx context.Context, account vetshare.AccountID, id vetshare.RecordID) (vetshare.Record, error) {
	var r vetshare.Record
	err := t.queryRow(ctx, vetshare.NotFound("record", id), func(rows *sql.Rows) error { return scanRecord(rows, &r) },
		`SELECT `+recordCols+recordScope+` WHERE r.id = ?`, account, id)
	return r, err
}

// qRecords reads a page of a patient's history as one range of vetshare_records_patient:
// the first page from the patient's first record, a later one from just after the cursor. Two
// statements, where one that tested for an empty cursor in SQL made every later page start at the
// patient's first record and step over the pages before it.
var qRecords = [2]string{recordsPage(""), recordsPage(" AND (r.given_at, r.seq) > (SELECT given_at, seq FROM vetshare_records WHERE id = ?3)")}

func recordsPage(after string) string {
	return `SELECT ` + recordCols + recordScope + `
		WHERE r.patient_id = ?2` + after + ` AND (?4 OR r.removed_at IS NULL)
			AND (?6 = '' OR ` + sqlitesearch.MemberOf("?6", "?1") + `) ORDER BY r.given_at, r.seq LIMIT ?5`
}

// Records implements [*vetshare.Tx].
func (t *dtx) Records(ctx context.Context, q driver.RecordQuery) ([]vetshare.Record, error) {
	var out []vetshare.Record
	query := qRecords[0]
	if q.AfterID != "" {
		query = qRecords[1]
	}
	err := t.each(ctx, func(rows *sql.Rows) error {
		var r vetshare.Record
		err := scanRecord(rows, &r)
		out = append(out, r)
		return err
	}, query, q.Account, q.Patient, q.AfterID, b2i(q.IncludeRemoved), q.Limit, q.Member)
	return out, err
}

// RemoveRecord implements [*vetshare.Tx].
func (t *dtx) RemoveRecord(ctx context.Context, id vetshare.RecordID, rm vetshare.Removal) error {
	res, err := t.exec(ctx, `UPDATE vetshare_records SET removed_at = ?, removed_by = ?, removed_account = ?, removed_reason = ?
		WHERE id = ? AND removed_at IS NULL`, micros(rm.At), rm.UserID, rm.AccountID, rm.Reason, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var exists bool
	if err := t.queryRow(ctx, nil, func(r *sql.Rows) error { return r.Scan(&exists) },
		`SELECT EXISTS (SELECT 1 FROM vetshare_records WHERE id = ?)`, id); err != nil {
		return err
	}
	if !exists {
		return vetshare.NotFound("record", id)
	}
	return &vetshare.ConflictError{Kind: "record", ID: string(id), Reason: "the record was already removed"}
}
