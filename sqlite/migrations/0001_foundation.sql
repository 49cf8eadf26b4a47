-- The foundation: owners, accounts, users, memberships, share groups, clients, client entries,
-- patients, records and the audit log. Times are INTEGER microseconds since the Unix epoch, UTC;
-- NULL where a time is unset. Ids are the 26-character ids of vetshare.NewID.

CREATE TABLE vetshare_owners (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	task_sharing INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE vetshare_accounts (
	id                 TEXT PRIMARY KEY,
	owner_id           TEXT NOT NULL REFERENCES vetshare_owners (id),
	name               TEXT NOT NULL,
	email              TEXT NOT NULL,
	email_verified     INTEGER NOT NULL,
	time_zone          TEXT NOT NULL,
	currency           TEXT NOT NULL,
	created_at         INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX vetshare_accounts_owner ON vetshare_accounts (owner_id, created_at);

CREATE TABLE vetshare_users (
	id             TEXT PRIMARY KEY,
	name           TEXT NOT NULL,
	email          TEXT NOT NULL,
	email_verified INTEGER NOT NULL,
	active         INTEGER NOT NULL,
	created_at     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE vetshare_memberships (
	user_id     TEXT NOT NULL REFERENCES vetshare_users (id),
	account_id  TEXT NOT NULL REFERENCES vetshare_accounts (id),
	role        TEXT NOT NULL,
	permissions INTEGER NOT NULL,
	active      INTEGER NOT NULL,
	PRIMARY KEY (user_id, account_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE vetshare_share_groups (
	id         TEXT PRIMARY KEY,
	owner_id   TEXT NOT NULL REFERENCES vetshare_owners (id),
	mode       TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE vetshare_group_members (
	group_id   TEXT NOT NULL REFERENCES vetshare_share_groups (id),
	account_id TEXT NOT NULL REFERENCES vetshare_accounts (id),
	joined_at  INTEGER NOT NULL,
	left_at    INTEGER,
	PRIMARY KEY (account_id, joined_at)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX vetshare_group_members_current ON vetshare_group_members (account_id) WHERE left_at IS NULL;
CREATE INDEX vetshare_group_members_group ON vetshare_group_members (group_id, joined_at) WHERE left_at IS NULL;

CREATE TABLE vetshare_clients (
	id             TEXT PRIMARY KEY,
	owner_id       TEXT NOT NULL REFERENCES vetshare_owners (id),
	first_name     TEXT NOT NULL,
	last_name      TEXT NOT NULL,
	name_key       TEXT NOT NULL, -- vetshare.NameKey(last, first)
	first_key      TEXT NOT NULL, -- vetshare.FoldName(first)
	email          TEXT NOT NULL,
	phone          TEXT NOT NULL,
	address        TEXT NOT NULL,
	origin_account TEXT NOT NULL REFERENCES vetshare_accounts (id),
	home_account   TEXT NOT NULL REFERENCES vetshare_accounts (id),
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	version        INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX vetshare_clients_name ON vetshare_clients (owner_id, name_key, id);
CREATE INDEX vetshare_clients_first ON vetshare_clients (owner_id, first_key, id);
CREATE INDEX vetshare_clients_owner ON vetshare_clients (owner_id, id);

CREATE TABLE vetshare_client_entries (
	account_id TEXT NOT NULL REFERENCES vetshare_accounts (id),
	client_id  TEXT NOT NULL REFERENCES vetshare_clients (id),
	number     INTEGER NOT NULL,
	via        TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (account_id, client_id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX vetshare_client_entries_number ON vetshare_client_entries (account_id, number);
CREATE INDEX vetshare_client_entries_client ON vetshare_client_entries (client_id, account_id);

CREATE TABLE vetshare_patients (
	id             TEXT PRIMARY KEY,
	client_id      TEXT NOT NULL REFERENCES vetshare_clients (id),
	name           TEXT NOT NULL,
	species        TEXT NOT NULL,
	breed          TEXT NOT NULL,
	birth_date     INTEGER,
	origin_account TEXT NOT NULL REFERENCES vetshare_accounts (id),
	created_by     TEXT NOT NULL REFERENCES vetshare_users (id),
	created_at     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX vetshare_patients_client ON vetshare_patients (client_id, id);

CREATE TABLE vetshare_records (
	id              TEXT PRIMARY KEY,
	patient_id      TEXT NOT NULL REFERENCES vetshare_patients (id),
	account_id      TEXT NOT NULL REFERENCES vetshare_accounts (id),
	user_id         TEXT NOT NULL REFERENCES vetshare_users (id),
	kind            TEXT NOT NULL,
	text            TEXT NOT NULL,
	item_id         TEXT,
	quantity        INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL,
	removed_at      INTEGER,
	removed_by      TEXT,
	removed_account TEXT,
	removed_reason  TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX vetshare_records_patient ON vetshare_records (patient_id, id);
CREATE INDEX vetshare_records_account ON vetshare_records (account_id, created_at);

CREATE TABLE vetshare_audit_log (
	owner_id   TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	at         INTEGER NOT NULL,
	user_id    TEXT NOT NULL,
	account_id TEXT NOT NULL,
	action     TEXT NOT NULL,
	subject    TEXT NOT NULL,
	outcome    TEXT NOT NULL,
	detail     TEXT NOT NULL,
	prev_hash  BLOB NOT NULL,
	hash       BLOB NOT NULL,
	PRIMARY KEY (owner_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER vetshare_audit_log_no_update BEFORE UPDATE ON vetshare_audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER vetshare_audit_log_no_delete BEFORE DELETE ON vetshare_audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
