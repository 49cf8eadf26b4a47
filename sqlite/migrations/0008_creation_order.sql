-- R12.3: hosts give accounts (and clients) ids of their own, which need not sort by the time
-- they were made, so the lists that promise the order things were made in keep it in a column
-- of their own instead of falling back on the id. seq numbers an owner's accounts, and a
-- client's entries, in the order they were inserted; lists read them by creation time, then
-- seq. Rows made before keep the order they were listed in (by creation time, then id for
-- accounts and account id for entries; the ids of vetshare.NewID sorted by time).
ALTER TABLE vetshare_accounts ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE vetshare_accounts AS a SET seq = o.n
FROM (SELECT id, row_number() OVER (PARTITION BY owner_id ORDER BY created_at, id) AS n FROM vetshare_accounts) AS o
WHERE o.id = a.id;

ALTER TABLE vetshare_client_entries ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE vetshare_client_entries AS e SET seq = o.n
FROM (SELECT account_id, client_id, row_number() OVER (PARTITION BY client_id ORDER BY created_at, account_id) AS n
      FROM vetshare_client_entries) AS o
WHERE o.account_id = e.account_id AND o.client_id = e.client_id;
