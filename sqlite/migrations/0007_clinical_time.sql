-- R12.4 clinical time: every record, usage, invoice and payment keeps the time it happened,
-- given by the host (given_at), apart from the time vetshare recorded it (created_at,
-- issued_at); records keep the store's recording order (seq), which breaks ties of given_at;
-- and every usage keeps the items its disable actions targeted when it was recorded (R7.8).
-- Rows written before keep given_at = the time they were recorded. Times are INTEGER
-- microseconds since the Unix epoch, UTC. ALTER TABLE cannot add a NOT NULL column without a
-- default: the defaults of 0 are overwritten here, and every insert sets the columns.

ALTER TABLE vetshare_records ADD COLUMN given_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE vetshare_records ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE vetshare_records SET given_at = created_at;
-- The records written so far in the order they were recorded, by time, then id (vetshare's
-- own ids sort by time; a host's need not, so from now on the store counts).
UPDATE vetshare_records SET seq = s.n
FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM vetshare_records) AS s
WHERE s.id = vetshare_records.id;
-- 1, 2, 3, ... per store: the next record takes max(seq) + 1.
CREATE UNIQUE INDEX vetshare_records_seq ON vetshare_records (seq);

-- A patient's usages in the order they happened: by time given, then recording order.
DROP INDEX vetshare_records_patient_usages;
CREATE INDEX vetshare_records_patient_usages ON vetshare_records (patient_id, given_at, seq)
WHERE kind = 'usage' AND removed_at IS NULL;

-- A visit counts by the time given (R8.2): the last record added at an account for a patient.
DROP INDEX vetshare_records_report;
CREATE INDEX vetshare_records_report ON vetshare_records (patient_id, account_id, given_at, removed_at) WHERE removed_at IS NULL;

ALTER TABLE vetshare_invoices ADD COLUMN given_at INTEGER NOT NULL DEFAULT 0;
UPDATE vetshare_invoices SET given_at = issued_at;
DROP INDEX vetshare_invoices_report_visit;
CREATE INDEX vetshare_invoices_report_visit ON vetshare_invoices (account_id, client_id, given_at, status) WHERE status <> 'void';

ALTER TABLE vetshare_payments ADD COLUMN given_at INTEGER NOT NULL DEFAULT 0;
UPDATE vetshare_payments SET given_at = created_at;

-- An invoice becomes paid at the latest time given of its payments: all of them are needed
-- to pay it, whatever order they were recorded in.
DROP TRIGGER vetshare_payments_apply;
CREATE TRIGGER vetshare_payments_apply AFTER INSERT ON vetshare_payments
BEGIN
	UPDATE vetshare_invoices SET paid = paid + NEW.amount WHERE id = NEW.invoice_id;
	UPDATE vetshare_invoices SET status = 'paid',
		paid_at = (SELECT max(given_at) FROM vetshare_payments WHERE invoice_id = NEW.invoice_id)
	WHERE id = NEW.invoice_id AND paid = total;
	UPDATE vetshare_balances SET outstanding = outstanding - NEW.amount,
		open_invoices = open_invoices - (SELECT status = 'paid' FROM vetshare_invoices WHERE id = NEW.invoice_id)
	WHERE account_id = NEW.account_id AND client_id = NEW.client_id;
END;

-- The items whose reminders a usage completes (R7.4), as they were when it was recorded: the
-- item given, and the targets of the disable actions configured at its account for that item.
-- Removing a usage re-completes a reminder only by the targets of a later usage kept here,
-- never by actions configured after the fact (R7.8). Usages recorded before this migration get
-- the actions configured now, the best that is known of them.
CREATE TABLE vetshare_usage_targets (
	usage_id       TEXT NOT NULL REFERENCES vetshare_records (id),
	target_item_id TEXT NOT NULL REFERENCES vetshare_items (id),
	PRIMARY KEY (usage_id, target_item_id)
) STRICT, WITHOUT ROWID;
INSERT INTO vetshare_usage_targets (usage_id, target_item_id)
SELECT id, item_id FROM vetshare_records WHERE kind = 'usage' AND item_id IS NOT NULL
UNION
SELECT r.id, d.target_item_id FROM vetshare_records r
JOIN vetshare_disable_actions d ON d.item_id = r.item_id AND d.account_id = r.account_id
WHERE r.kind = 'usage';
