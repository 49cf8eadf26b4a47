-- Client reports (R8): indexes for the queries of sqlite/reports.go, which read one account's
-- client entries in a pass and, per entry, its last visit and its last paid invoice, each by a
-- probe of a covering index that stops at its first row.

-- The as-of reports read all the account's entries by client number, the "new" reports those
-- created in a period, in order of creation; both with client_id (the key) and created_at.
CREATE INDEX client_entries_report ON client_entries (account_id, number, created_at);
CREATE INDEX client_entries_created ON client_entries (account_id, created_at, number);

-- The last record added at an account for a patient, of those not removed (a removed record is
-- not a visit).
CREATE INDEX records_report ON records (patient_id, account_id, created_at, removed_at) WHERE removed_at IS NULL;

-- The last invoice of an account for a client that is not void (a void invoice is not a visit),
-- and the last one paid.
CREATE INDEX invoices_report_visit ON invoices (account_id, client_id, issued_at, status) WHERE status <> 'void';
CREATE INDEX invoices_report_paid ON invoices (account_id, client_id, paid_at) WHERE status = 'paid';
