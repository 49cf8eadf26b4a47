-- R2.3, issue 14: the pair keys of each client (n: "last first" and m: "first last", each name
-- in all its forms, see driver.ClientSearchKeys) a second time for each account the client has
-- an entry in, so that what a front desk types in its account is one range of that account's
-- keys. Before, a search read the owner's keys for the typed text and checked each client's
-- entry in the account: in a ten-account group nine keys in ten were read to be dropped, and
-- "smith, jo" read every Smith. Every name search is a range of pair keys ("n:smith " is a last
-- name equal to smith), so the l: and f: keys are not copied: they serve duplicate matching.
--
-- The triggers keep the table equal to the join of vetshare_client_entries and the pair keys of
-- vetshare_client_keys, whatever writes either (a new client, a share, a backfill, a merge, a
-- rename): no code path has to remember it. Phone and email keys stay only by owner: a typed
-- number or address is one short range already.
CREATE TABLE vetshare_account_keys (
	account_id TEXT NOT NULL,
	key        TEXT NOT NULL,
	client_id  TEXT NOT NULL,
	PRIMARY KEY (account_id, key, client_id)
) STRICT, WITHOUT ROWID;

INSERT INTO vetshare_account_keys (account_id, key, client_id)
SELECT e.account_id, k.key, k.client_id
FROM vetshare_client_entries e
JOIN vetshare_clients c ON c.id = e.client_id
JOIN vetshare_client_keys k ON k.owner_id = c.owner_id AND k.client_id = e.client_id
WHERE substr(k.key, 1, 2) IN ('n:', 'm:')
ORDER BY e.account_id, k.key, k.client_id;

-- A new entry gets its client's name keys.
CREATE TRIGGER vetshare_account_keys_entry_in AFTER INSERT ON vetshare_client_entries BEGIN
	INSERT OR IGNORE INTO vetshare_account_keys (account_id, key, client_id)
	SELECT NEW.account_id, k.key, k.client_id FROM vetshare_client_keys k
	WHERE k.owner_id = (SELECT owner_id FROM vetshare_clients WHERE id = NEW.client_id)
		AND k.client_id = NEW.client_id AND substr(k.key, 1, 2) IN ('n:', 'm:');
END;

-- An entry gone (a merge) takes its keys with it.
CREATE TRIGGER vetshare_account_keys_entry_out AFTER DELETE ON vetshare_client_entries BEGIN
	DELETE FROM vetshare_account_keys WHERE account_id = OLD.account_id AND client_id = OLD.client_id
		AND key IN (SELECT key FROM vetshare_client_keys
			WHERE owner_id = (SELECT owner_id FROM vetshare_clients WHERE id = OLD.client_id) AND client_id = OLD.client_id);
END;

-- An entry that changes client (a merge gives the merged-away client's entries to the survivor).
CREATE TRIGGER vetshare_account_keys_entry_moved AFTER UPDATE OF account_id, client_id ON vetshare_client_entries
WHEN OLD.account_id <> NEW.account_id OR OLD.client_id <> NEW.client_id BEGIN
	DELETE FROM vetshare_account_keys WHERE account_id = OLD.account_id AND client_id = OLD.client_id
		AND key IN (SELECT key FROM vetshare_client_keys
			WHERE owner_id = (SELECT owner_id FROM vetshare_clients WHERE id = OLD.client_id) AND client_id = OLD.client_id);
	INSERT OR IGNORE INTO vetshare_account_keys (account_id, key, client_id)
	SELECT NEW.account_id, k.key, k.client_id FROM vetshare_client_keys k
	WHERE k.owner_id = (SELECT owner_id FROM vetshare_clients WHERE id = NEW.client_id)
		AND k.client_id = NEW.client_id AND substr(k.key, 1, 2) IN ('n:', 'm:');
END;

-- A new name key of a client goes to every account the client has an entry in.
CREATE TRIGGER vetshare_account_keys_key_in AFTER INSERT ON vetshare_client_keys
WHEN substr(NEW.key, 1, 2) IN ('n:', 'm:') BEGIN
	INSERT OR IGNORE INTO vetshare_account_keys (account_id, key, client_id)
	SELECT e.account_id, NEW.key, NEW.client_id FROM vetshare_client_entries e WHERE e.client_id = NEW.client_id;
END;

-- A name key gone (a rename, a merge) goes from every account.
CREATE TRIGGER vetshare_account_keys_key_out AFTER DELETE ON vetshare_client_keys
WHEN substr(OLD.key, 1, 2) IN ('n:', 'm:') BEGIN
	DELETE FROM vetshare_account_keys WHERE key = OLD.key AND client_id = OLD.client_id
		AND account_id IN (SELECT account_id FROM vetshare_client_entries WHERE client_id = OLD.client_id);
END;
