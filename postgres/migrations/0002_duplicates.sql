-- Duplicate clients (R2.3, R13): search keys, "not the same person" decisions, and what merges
-- left behind; every table keyed and partitioned by owner like the rest (see 0001). The keys
-- are computed in Go (driver.ClientSearchKeys folds names as vetshare.FoldName does); the
-- migration code fills them for clients made before this version right after this script, in
-- the same transaction (backfillClientKeys in duplicates.go).

CREATE TABLE vetshare.client_keys (
	owner_id  text NOT NULL,
	key       text COLLATE "C" NOT NULL,
	client_id text NOT NULL,
	PRIMARY KEY (owner_id, key, client_id),
	FOREIGN KEY (owner_id, client_id) REFERENCES vetshare.clients (owner_id, id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.client_keys (owner_id, client_id, key);

CREATE TABLE vetshare.not_same (
	owner_id   text NOT NULL,
	client_a   text NOT NULL,
	client_b   text NOT NULL,
	account_id text NOT NULL,
	user_id    text NOT NULL REFERENCES vetshare.users (id),
	reason     text NOT NULL,
	decided_at bigint NOT NULL,
	PRIMARY KEY (owner_id, client_a, client_b),
	FOREIGN KEY (owner_id, client_a) REFERENCES vetshare.clients (owner_id, id),
	FOREIGN KEY (owner_id, client_b) REFERENCES vetshare.clients (owner_id, id),
	FOREIGN KEY (owner_id, account_id) REFERENCES vetshare.accounts (owner_id, id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.not_same (owner_id, client_b, client_a);

CREATE TABLE vetshare.client_replaced (
	owner_id    text NOT NULL,
	client_id   text NOT NULL,
	survivor_id text NOT NULL,
	merged_at   bigint NOT NULL,
	PRIMARY KEY (owner_id, client_id),
	FOREIGN KEY (owner_id, client_id) REFERENCES vetshare.clients (owner_id, id),
	FOREIGN KEY (owner_id, survivor_id) REFERENCES vetshare.clients (owner_id, id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.client_replaced (owner_id, survivor_id);

CREATE TABLE vetshare.number_aliases (
	owner_id   text NOT NULL,
	account_id text NOT NULL,
	number     bigint NOT NULL,
	client_id  text NOT NULL,
	PRIMARY KEY (owner_id, account_id, number),
	FOREIGN KEY (owner_id, account_id) REFERENCES vetshare.accounts (owner_id, id),
	FOREIGN KEY (owner_id, client_id) REFERENCES vetshare.clients (owner_id, id)
) PARTITION BY HASH (owner_id);
CREATE INDEX ON vetshare.number_aliases (owner_id, client_id);
