-- Inventory and reminders: items per account with their reminder rules, the stock ledger,
-- disable-reminder actions and reminders. Times are INTEGER microseconds since the Unix epoch.

CREATE TABLE items (
	id         TEXT PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES accounts (id),
	name       TEXT NOT NULL,
	name_key   TEXT NOT NULL, -- vetshare.FoldName(name)
	kind       TEXT NOT NULL CHECK (kind IN ('product', 'service')),
	tracked    INTEGER NOT NULL,
	reminders  TEXT NOT NULL DEFAULT '[]', -- the reminder rules, as a JSON array
	on_hand    INTEGER NOT NULL DEFAULT 0, -- the sum of the item's stock_movements
	created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX items_account_name ON items (account_id, name_key, id);
CREATE INDEX items_below_zero ON items (account_id, name_key, id) WHERE tracked AND on_hand < 0;
CREATE INDEX items_reminders ON items (account_id, id) WHERE reminders <> '[]';

CREATE TABLE stock_movements (
	id         TEXT PRIMARY KEY,
	seq        INTEGER NOT NULL, -- 1, 2, 3, ... per item: the ledger's order
	account_id TEXT NOT NULL REFERENCES accounts (id),
	item_id    TEXT NOT NULL REFERENCES items (id),
	kind       TEXT NOT NULL CHECK (kind IN ('received', 'used', 'returned', 'adjusted')),
	quantity   INTEGER NOT NULL CHECK (quantity <> 0),
	record_id  TEXT REFERENCES records (id),
	user_id    TEXT NOT NULL,
	note       TEXT NOT NULL,
	at         INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX stock_movements_item ON stock_movements (item_id, seq);
CREATE INDEX stock_movements_record ON stock_movements (record_id) WHERE record_id IS NOT NULL;

CREATE TABLE disable_actions (
	item_id           TEXT NOT NULL REFERENCES items (id),
	target_item_id    TEXT NOT NULL REFERENCES items (id),
	account_id        TEXT NOT NULL REFERENCES accounts (id),
	target_account_id TEXT NOT NULL REFERENCES accounts (id),
	created_at        INTEGER NOT NULL,
	PRIMARY KEY (item_id, target_item_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX disable_actions_account ON disable_actions (account_id, item_id, target_item_id, target_account_id, created_at);

CREATE TABLE reminders (
	id           TEXT PRIMARY KEY,
	patient_id   TEXT NOT NULL REFERENCES patients (id),
	account_id   TEXT NOT NULL REFERENCES accounts (id),
	item_id      TEXT NOT NULL REFERENCES items (id),
	usage_id     TEXT NOT NULL REFERENCES records (id),
	kind         TEXT NOT NULL,
	kind_key     TEXT NOT NULL, -- vetshare.FoldName(kind)
	due          INTEGER NOT NULL,
	status       TEXT NOT NULL CHECK (status IN ('open', 'completed', 'withdrawn')),
	completed_by TEXT REFERENCES records (id),
	completed_at INTEGER,
	created_at   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
-- No reminder is open twice for one patient, item and kind.
CREATE UNIQUE INDEX reminders_open ON reminders (patient_id, item_id, kind_key) WHERE status = 'open';
CREATE INDEX reminders_patient ON reminders (patient_id, due, id);
CREATE INDEX reminders_usage ON reminders (usage_id);
CREATE INDEX reminders_completed_by ON reminders (completed_by) WHERE completed_by IS NOT NULL;
CREATE INDEX reminders_due ON reminders (account_id, due, id) WHERE status = 'open';
CREATE INDEX reminders_open_kind ON reminders (account_id, patient_id, kind_key) WHERE status = 'open';

-- A patient's usages in the order they were recorded (records keeps no such index).
CREATE INDEX records_patient_usages ON records (patient_id, created_at, id) WHERE kind = 'usage' AND removed_at IS NULL;
