-- R2.3, issue 14: the n: and m: search keys (a client's last and first name in each order, see
-- driver.ClientSearchKeys), so that "smith, jo" and "john smi" are each one range of the keys
-- index. The table does not change; the migration's Go step (backfillClientKeys) adds the new
-- keys to every client made before this version, in the same transaction.
SELECT 1;
