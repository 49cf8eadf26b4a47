-- Issue 16, the index diet: vetshare_clients_first ((owner_id, first_key, id)) served the
-- share candidates by first name before R2.3's search keys (0009) took that over; no statement
-- has read it since, and every new client and every rename still wrote it. The first_key
-- column stays, written and not indexed: dropping a column would rebuild the table.
DROP INDEX vetshare_clients_first;
