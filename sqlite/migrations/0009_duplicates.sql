-- Duplicate clients (R2.3, R13): search keys, "not the same person" decisions, and what merges
-- left behind. The keys are computed in Go (driver.ClientSearchKeys, which folds names as
-- vetshare.FoldName does); the store fills them for clients made before this version right
-- after this script, in the same transaction (backfillClientKeys in duplicates.go).

-- Each key of a client: "l:obrien", "f:mary", "p:5551234567", "e:mary@example.com".
CREATE TABLE vetshare_client_keys (
	owner_id  TEXT NOT NULL REFERENCES vetshare_owners (id),
	key       TEXT NOT NULL,
	client_id TEXT NOT NULL REFERENCES vetshare_clients (id),
	PRIMARY KEY (owner_id, key, client_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX vetshare_client_keys_client ON vetshare_client_keys (owner_id, client_id, key);

-- A decision that two clients are not the same person (R13.2); client_a < client_b.
CREATE TABLE vetshare_not_same (
	owner_id   TEXT NOT NULL REFERENCES vetshare_owners (id),
	client_a   TEXT NOT NULL REFERENCES vetshare_clients (id),
	client_b   TEXT NOT NULL REFERENCES vetshare_clients (id),
	account_id TEXT NOT NULL REFERENCES vetshare_accounts (id),
	user_id    TEXT NOT NULL REFERENCES vetshare_users (id),
	reason     TEXT NOT NULL,
	decided_at INTEGER NOT NULL,
	PRIMARY KEY (owner_id, client_a, client_b)
) STRICT, WITHOUT ROWID;
CREATE INDEX vetshare_not_same_b ON vetshare_not_same (owner_id, client_b, client_a);

-- A client merged away, and the client that replaced it (R13.3).
CREATE TABLE vetshare_client_replaced (
	owner_id    TEXT NOT NULL REFERENCES vetshare_owners (id),
	client_id   TEXT NOT NULL REFERENCES vetshare_clients (id),
	survivor_id TEXT NOT NULL REFERENCES vetshare_clients (id),
	merged_at   INTEGER NOT NULL,
	PRIMARY KEY (owner_id, client_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX vetshare_client_replaced_survivor ON vetshare_client_replaced (owner_id, survivor_id);

-- A client number of an account that held both clients of a merge: it stands for the survivor.
CREATE TABLE vetshare_number_aliases (
	account_id TEXT NOT NULL REFERENCES vetshare_accounts (id),
	number     INTEGER NOT NULL,
	client_id  TEXT NOT NULL REFERENCES vetshare_clients (id),
	PRIMARY KEY (account_id, number)
) STRICT, WITHOUT ROWID;
CREATE INDEX vetshare_number_aliases_client ON vetshare_number_aliases (client_id);
