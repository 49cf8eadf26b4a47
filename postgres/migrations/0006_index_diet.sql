-- Issue 16, the index diet: the index on clients (owner_id, first_key, id) served the share
-- candidates by first name before R2.3's search keys (0002) took that over; no statement has
-- read it since, and every new client and every rename still wrote it. The first_key column
-- stays, written and not indexed.
DROP INDEX vetshare.clients_owner_id_first_key_id_idx;
