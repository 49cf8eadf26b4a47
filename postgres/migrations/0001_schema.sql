-- vetshare's tables in the schema vetshare, shaped for distribution by owner (see doc.go).
--
-- Every per-owner table carries owner_id first in its primary key and in every unique
-- constraint, and is PARTITION BY HASH (owner_id); the migration code creates the partitions
-- (the count is a setting) and turns on row-level security on every table with an owner_id
-- column. Foreign keys between per-owner tables include owner_id, so a row can only refer to
-- rows of its own owner. The reference tables (users, memberships, account_owners) are not
-- partitioned. Times are bigint microseconds since the Unix epoch, UTC; NULL where unset.

CREATE TABLE vetshare.users (
	id             text PRIMARY KEY,
	name           text NOT NULL,
	email          text NOT NULL,
	email_verified boolean NOT NULL,
	active         boolean NOT NULL,
	created_at     bigint NOT NULL
);

-- The routing table: which owner an account belongs to. Every statement that names an account
-- finds its owner here first (once per transaction), then filters by it.
CREATE TABLE vetshare.account_owners (
	account_id text PRIMARY KEY,
	owner_id   text NOT NULL
);

-- A user's memberships span owners (Memberships lists them all), so they are a reference table.
CREATE TABLE vetshare.memberships (
	user_id     text NOT NULL REFERENCES vetshare.users (id),
	account_id  text NOT NULL REFERENCES vetshare.account_owners (account_id),
	role        text NOT NULL,
	permissions bigint NOT NULL,
	active      boolean NOT NULL,
	PRIMARY KEY (user_id, account_id)
);

CREATE SEQUENCE vetshare.seq;

CREATE TABLE vetshare.owners (
	owner_id     text NOT NULL,
	name         text NOT NULL,
	task_sharing boolean NOT NULL DEFAULT false,
	created_at   bigint NOT NULL,
	PRIMARY KEY (owner_id)
) PARTITION BY HASH (owner_id);

-- Per-owner counters: client and invoice numbers per account, the audit chain per owner. A
-- writer takes the next number by an UPDATE ... RETURNING that locks this one row until it
-- commits, so numbers have no gaps and no duplicates, and writers of other accounts never wait.
CREATE TABLE vetshare.counters (
	owner_id text NOT NULL,
	scope    text NOT NULL,
	name     text NOT NULL,
	value    bigint NOT NULL,
	PRIMARY KEY (owner_id, scope, name)
) PARTITION BY HASH (owner_id);

CREATE TABLE vetshare.accounts (
	owner_id       text NOT NULL REFERENCES vetshare.owners (owner_id),
	id             text NOT NULL,
	name           text NOT NULL,
	email          text NOT NULL,
	email_verified boolean NOT NULL,
	time_zone      text NOT NULL,
	currency       text NOT NULL,
	created_at     bigint NOT NULL,
	seq            bigint NOT NULL,
	PRIMARY KEY (owner_id, id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.accounts (owner_id, created_at, seq);

CREATE TABLE vetshare.share_groups (
	owner_id   text NOT NULL REFERENCES vetshare.owners (owner_id),
	id         text NOT NULL,
	mode       text NOT NULL,
	created_at bigint NOT NULL,
	PRIMARY KEY (owner_id, id)
) PARTITION BY HASH (owner_id);

CREATE TABLE vetshare.group_members (
	owner_id   text NOT NULL,
	group_id   text NOT NULL,
	account_id text NOT NULL,
	joined_at  bigint NOT NULL,
	left_at    bigint,
	PRIMARY KEY (owner_id, account_id, joined_at),
	FOREIGN KEY (owner_id, group_id) REFERENCES vetshare.share_groups (owner_id, id),
	FOREIGN KEY (owner_id, account_id) REFERENCES vetshare.accounts (owner_id, id)
) PARTITION BY HASH (owner_id);
CREATE UNIQUE INDEX group_members_current ON vetshare.group_members (owner_id, account_id) WHERE left_at IS NULL;
CREATE INDEX ON vetshare.group_members (owner_id, group_id, joined_at, account_id);

CREATE TABLE vetshare.clients (
	owner_id       text NOT NULL REFERENCES vetshare.owners (owner_id),
	id             text NOT NULL,
	first_name     text NOT NULL,
	last_name      text NOT NULL,
	name_key       text COLLATE "C" NOT NULL,
	first_key      text COLLATE "C" NOT NULL,
	email          text NOT NULL,
	phone          text NOT NULL,
	address        text NOT NULL,
	origin_account text NOT NULL,
	home_account   text NOT NULL,
	created_at     bigint NOT NULL,
	updated_at     bigint NOT NULL,
	version        bigint NOT NULL,
	PRIMARY KEY (owner_id, id),
	FOREIGN KEY (owner_id, origin_account) REFERENCES vetshare.accounts (owner_id, id),
	FOREIGN KEY (owner_id, home_account) REFERENCES vetshare.accounts (owner_id, id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.clients (owner_id, name_key, id);
CREATE INDEX ON vetshare.clients (owner_id, first_key, id);

CREATE TABLE vetshare.client_entries (
	owner_id   text NOT NULL,
	account_id text NOT NULL,
	client_id  text NOT NULL,
	number     bigint NOT NULL,
	via        text NOT NULL,
	created_at bigint NOT NULL,
	seq        bigint NOT NULL,
	PRIMARY KEY (owner_id, account_id, client_id),
	UNIQUE (owner_id, account_id, number),
	FOREIGN KEY (owner_id, account_id) REFERENCES vetshare.accounts (owner_id, id),
	FOREIGN KEY (owner_id, client_id) REFERENCES vetshare.clients (owner_id, id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.client_entries (owner_id, client_id, account_id);
CREATE INDEX ON vetshare.client_entries (owner_id, account_id, created_at, number);

CREATE TABLE vetshare.patients (
	owner_id       text NOT NULL,
	id             text NOT NULL,
	client_id      text NOT NULL,
	name           text NOT NULL,
	species        text NOT NULL,
	breed          text NOT NULL,
	birth_date     bigint,
	origin_account text NOT NULL,
	created_by     text NOT NULL REFERENCES vetshare.users (id),
	created_at     bigint NOT NULL,
	PRIMARY KEY (owner_id, id),
	FOREIGN KEY (owner_id, client_id) REFERENCES vetshare.clients (owner_id, id),
	FOREIGN KEY (owner_id, origin_account) REFERENCES vetshare.accounts (owner_id, id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.patients (owner_id, client_id, id);

CREATE TABLE vetshare.records (
	owner_id        text NOT NULL,
	id              text NOT NULL,
	patient_id      text NOT NULL,
	account_id      text NOT NULL,
	user_id         text NOT NULL REFERENCES vetshare.users (id),
	kind            text NOT NULL,
	text            text NOT NULL,
	item_id         text,
	quantity        bigint NOT NULL DEFAULT 0,
	given_at        bigint NOT NULL,
	created_at      bigint NOT NULL,
	seq             bigint NOT NULL,
	removed_at      bigint,
	removed_by      text,
	removed_account text,
	removed_reason  text,
	PRIMARY KEY (owner_id, id),
	FOREIGN KEY (owner_id, patient_id) REFERENCES vetshare.patients (owner_id, id),
	FOREIGN KEY (owner_id, account_id) REFERENCES vetshare.accounts (owner_id, id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.records (owner_id, patient_id, given_at, seq);
CREATE INDEX ON vetshare.records (owner_id, patient_id, account_id, given_at) WHERE removed_at IS NULL;

CREATE TABLE vetshare.audit_log (
	owner_id     text NOT NULL,
	seq          bigint NOT NULL,
	at           bigint NOT NULL,
	user_id      text NOT NULL,
	account_id   text NOT NULL,
	action       text NOT NULL,
	subject      text NOT NULL,
	outcome      text NOT NULL,
	detail       text NOT NULL,
	operation_id text NOT NULL DEFAULT '',
	request_id   text NOT NULL DEFAULT '',
	prev_hash    bytea NOT NULL,
	hash         bytea NOT NULL,
	PRIMARY KEY (owner_id, seq)
) PARTITION BY HASH (owner_id);

CREATE FUNCTION vetshare.append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON vetshare.audit_log
FOR EACH ROW EXECUTE FUNCTION vetshare.append_only();

CREATE TABLE vetshare.items (
	owner_id   text NOT NULL,
	id         text NOT NULL,
	account_id text NOT NULL,
	name       text NOT NULL,
	name_key   text COLLATE "C" NOT NULL,
	kind       text NOT NULL CHECK (kind IN ('product', 'service')),
	tracked    boolean NOT NULL,
	reminders  text NOT NULL DEFAULT '[]',
	on_hand    bigint NOT NULL DEFAULT 0,
	created_at bigint NOT NULL,
	PRIMARY KEY (owner_id, id),
	FOREIGN KEY (owner_id, account_id) REFERENCES vetshare.accounts (owner_id, id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.items (owner_id, account_id, name_key, id);

CREATE TABLE vetshare.stock_movements (
	owner_id   text NOT NULL,
	id         text NOT NULL,
	seq        bigint NOT NULL,
	account_id text NOT NULL,
	item_id    text NOT NULL,
	kind       text NOT NULL CHECK (kind IN ('received', 'used', 'returned', 'adjusted')),
	quantity   bigint NOT NULL CHECK (quantity <> 0),
	record_id  text,
	user_id    text NOT NULL,
	note       text NOT NULL,
	at         bigint NOT NULL,
	PRIMARY KEY (owner_id, id),
	UNIQUE (owner_id, item_id, seq),
	FOREIGN KEY (owner_id, item_id) REFERENCES vetshare.items (owner_id, id),
	FOREIGN KEY (owner_id, record_id) REFERENCES vetshare.records (owner_id, id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.stock_movements (owner_id, record_id) WHERE record_id IS NOT NULL;

CREATE TABLE vetshare.disable_actions (
	owner_id          text NOT NULL,
	item_id           text NOT NULL,
	target_item_id    text NOT NULL,
	account_id        text NOT NULL,
	target_account_id text NOT NULL,
	created_at        bigint NOT NULL,
	PRIMARY KEY (owner_id, item_id, target_item_id),
	FOREIGN KEY (owner_id, item_id) REFERENCES vetshare.items (owner_id, id),
	FOREIGN KEY (owner_id, target_item_id) REFERENCES vetshare.items (owner_id, id),
	FOREIGN KEY (owner_id, account_id) REFERENCES vetshare.accounts (owner_id, id),
	FOREIGN KEY (owner_id, target_account_id) REFERENCES vetshare.accounts (owner_id, id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.disable_actions (owner_id, account_id);

CREATE TABLE vetshare.reminders (
	owner_id     text NOT NULL,
	id           text NOT NULL,
	patient_id   text NOT NULL,
	account_id   text NOT NULL,
	item_id      text NOT NULL,
	usage_id     text NOT NULL,
	kind         text NOT NULL,
	kind_key     text COLLATE "C" NOT NULL,
	due          bigint NOT NULL,
	status       text NOT NULL CHECK (status IN ('open', 'completed', 'withdrawn')),
	completed_by text,
	completed_at bigint,
	created_at   bigint NOT NULL,
	PRIMARY KEY (owner_id, id),
	FOREIGN KEY (owner_id, patient_id) REFERENCES vetshare.patients (owner_id, id),
	FOREIGN KEY (owner_id, account_id) REFERENCES vetshare.accounts (owner_id, id),
	FOREIGN KEY (owner_id, item_id) REFERENCES vetshare.items (owner_id, id),
	FOREIGN KEY (owner_id, usage_id) REFERENCES vetshare.records (owner_id, id),
	FOREIGN KEY (owner_id, completed_by) REFERENCES vetshare.records (owner_id, id)
) PARTITION BY HASH (owner_id);
-- No reminder is open twice for one patient, item and kind.
CREATE UNIQUE INDEX reminders_open ON vetshare.reminders (owner_id, patient_id, item_id, kind_key) WHERE status = 'open';
CREATE INDEX ON vetshare.reminders (owner_id, patient_id, due, id);
CREATE INDEX ON vetshare.reminders (owner_id, usage_id);
CREATE INDEX ON vetshare.reminders (owner_id, completed_by) WHERE completed_by IS NOT NULL;
CREATE INDEX ON vetshare.reminders (owner_id, account_id, due, id) WHERE status = 'open';

CREATE TABLE vetshare.usage_targets (
	owner_id       text NOT NULL,
	usage_id       text NOT NULL,
	target_item_id text NOT NULL,
	PRIMARY KEY (owner_id, usage_id, target_item_id),
	FOREIGN KEY (owner_id, usage_id) REFERENCES vetshare.records (owner_id, id),
	FOREIGN KEY (owner_id, target_item_id) REFERENCES vetshare.items (owner_id, id)
) PARTITION BY HASH (owner_id);

CREATE TABLE vetshare.invoices (
	owner_id   text NOT NULL,
	id         text NOT NULL,
	account_id text NOT NULL,
	client_id  text NOT NULL,
	number     bigint NOT NULL,
	status     text NOT NULL CHECK (status IN ('open', 'paid', 'void')),
	currency   text NOT NULL,
	total      bigint NOT NULL CHECK (total > 0),
	paid       bigint NOT NULL DEFAULT 0 CHECK (paid >= 0 AND paid <= total),
	given_at   bigint NOT NULL,
	issued_at  bigint NOT NULL,
	paid_at    bigint,
	voided_at  bigint,
	created_by text NOT NULL REFERENCES vetshare.users (id),
	note       text NOT NULL,
	CHECK ((status = 'paid') = (paid_at IS NOT NULL)),
	CHECK (status <> 'paid' OR paid = total),
	CHECK ((status = 'void') = (voided_at IS NOT NULL)),
	PRIMARY KEY (owner_id, id),
	UNIQUE (owner_id, account_id, number),
	FOREIGN KEY (owner_id, account_id, client_id) REFERENCES vetshare.client_entries (owner_id, account_id, client_id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.invoices (owner_id, account_id, client_id, number);
CREATE INDEX ON vetshare.invoices (owner_id, account_id, client_id, given_at) WHERE status <> 'void';
CREATE INDEX ON vetshare.invoices (owner_id, account_id, client_id, paid_at) WHERE status = 'paid';

CREATE TABLE vetshare.invoice_lines (
	owner_id    text NOT NULL,
	invoice_id  text NOT NULL,
	line        bigint NOT NULL,
	description text NOT NULL,
	quantity    bigint NOT NULL CHECK (quantity > 0),
	unit_price  bigint NOT NULL CHECK (unit_price >= 0),
	amount      bigint NOT NULL CHECK (amount >= 0),
	record_id   text,
	PRIMARY KEY (owner_id, invoice_id, line),
	FOREIGN KEY (owner_id, invoice_id) REFERENCES vetshare.invoices (owner_id, id),
	FOREIGN KEY (owner_id, record_id) REFERENCES vetshare.records (owner_id, id)
) PARTITION BY HASH (owner_id);

CREATE TABLE vetshare.payments (
	owner_id   text NOT NULL,
	id         text NOT NULL,
	key        text NOT NULL,
	account_id text NOT NULL,
	invoice_id text NOT NULL,
	client_id  text NOT NULL,
	channel    text NOT NULL CHECK (channel IN ('counter', 'app')),
	amount     bigint NOT NULL CHECK (amount > 0),
	currency   text NOT NULL,
	taken_at   text NOT NULL,
	user_id    text NOT NULL REFERENCES vetshare.users (id),
	method     text NOT NULL,
	reference  text NOT NULL,
	given_at   bigint NOT NULL,
	created_at bigint NOT NULL,
	PRIMARY KEY (owner_id, id),
	UNIQUE (owner_id, key),
	FOREIGN KEY (owner_id, invoice_id) REFERENCES vetshare.invoices (owner_id, id),
	FOREIGN KEY (owner_id, taken_at) REFERENCES vetshare.accounts (owner_id, id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.payments (owner_id, invoice_id, created_at);

CREATE TABLE vetshare.balances (
	owner_id      text NOT NULL,
	account_id    text NOT NULL,
	client_id     text NOT NULL,
	outstanding   bigint NOT NULL CHECK (outstanding >= 0),
	open_invoices bigint NOT NULL CHECK (open_invoices >= 0),
	PRIMARY KEY (owner_id, account_id, client_id),
	FOREIGN KEY (owner_id, account_id, client_id) REFERENCES vetshare.client_entries (owner_id, account_id, client_id)
) PARTITION BY HASH (owner_id);

CREATE TABLE vetshare.contacts (
	owner_id    text NOT NULL,
	id          text NOT NULL,
	account_id  text NOT NULL,
	kind        text NOT NULL CHECK (kind IN ('person', 'company')),
	name        text NOT NULL,
	name_key    text COLLATE "C" NOT NULL,
	company_id  text,
	category    text NOT NULL,
	email       text NOT NULL,
	phone       text NOT NULL,
	address     text NOT NULL,
	notes       text NOT NULL,
	copied_from text,
	created_at  bigint NOT NULL,
	updated_at  bigint NOT NULL,
	version     bigint NOT NULL,
	PRIMARY KEY (owner_id, id),
	UNIQUE (owner_id, id, account_id),
	FOREIGN KEY (owner_id, account_id) REFERENCES vetshare.accounts (owner_id, id),
	FOREIGN KEY (owner_id, company_id, account_id) REFERENCES vetshare.contacts (owner_id, id, account_id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.contacts (owner_id, account_id, name_key, id);

CREATE TABLE vetshare.tasks (
	owner_id     text NOT NULL,
	id           text NOT NULL,
	account_id   text NOT NULL,
	kind         text NOT NULL,
	title        text NOT NULL,
	notes        text NOT NULL,
	assignee_id  text NOT NULL REFERENCES vetshare.users (id),
	due          bigint NOT NULL,
	priority     bigint NOT NULL,
	status       text NOT NULL CHECK (status IN ('open', 'in-progress', 'completed')),
	done         boolean NOT NULL CHECK (done = (status = 'completed')),
	repeat_every bigint NOT NULL,
	repeat_unit  text NOT NULL,
	repeat_until bigint,
	client_id    text,
	patient_id   text,
	created_by   text NOT NULL REFERENCES vetshare.users (id),
	created_at   bigint NOT NULL,
	updated_at   bigint NOT NULL,
	completed_at bigint,
	previous_id  text,
	next_id      text,
	version      bigint NOT NULL,
	PRIMARY KEY (owner_id, id),
	FOREIGN KEY (owner_id, account_id) REFERENCES vetshare.accounts (owner_id, id),
	FOREIGN KEY (owner_id, client_id) REFERENCES vetshare.clients (owner_id, id),
	FOREIGN KEY (owner_id, patient_id) REFERENCES vetshare.patients (owner_id, id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.tasks (owner_id, assignee_id, done, due, priority DESC, id);
CREATE INDEX ON vetshare.tasks (owner_id, account_id, done, due, priority DESC, id);
CREATE INDEX ON vetshare.tasks (owner_id, patient_id, account_id, done, due, priority DESC, id) WHERE patient_id IS NOT NULL;

-- owner_of finds the owner of a thing named by its id alone, for a transaction whose first
-- statement names no account or owner (operations never begin so: they read the actor's
-- membership first). It runs as the tables' owner, whose policy lets it see every owner's rows,
-- and returns only an owner id; the statement that follows is filtered by it as any other.
-- It probes the primary key index of each partition: the one statement of the driver that is
-- not routed to one partition.
CREATE FUNCTION vetshare.owner_of(kind text, id text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE kind
		WHEN 'group' THEN (SELECT g.owner_id FROM vetshare.share_groups g WHERE g.id = $2 LIMIT 1)
		WHEN 'client' THEN (SELECT c.owner_id FROM vetshare.clients c WHERE c.id = $2 LIMIT 1)
		WHEN 'patient' THEN (SELECT p.owner_id FROM vetshare.patients p WHERE p.id = $2 LIMIT 1)
		WHEN 'record' THEN (SELECT r.owner_id FROM vetshare.records r WHERE r.id = $2 LIMIT 1)
		WHEN 'item' THEN (SELECT i.owner_id FROM vetshare.items i WHERE i.id = $2 LIMIT 1)
		WHEN 'reminder' THEN (SELECT r.owner_id FROM vetshare.reminders r WHERE r.id = $2 LIMIT 1)
		WHEN 'invoice' THEN (SELECT i.owner_id FROM vetshare.invoices i WHERE i.id = $2 LIMIT 1)
		WHEN 'task' THEN (SELECT t.owner_id FROM vetshare.tasks t WHERE t.id = $2 LIMIT 1)
	END
$$;
