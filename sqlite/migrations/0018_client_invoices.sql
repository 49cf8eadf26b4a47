-- Issue 16: a client's invoices in an account (ClientInvoices, by number) read every invoice of
-- the account through vetshare_invoices_number and kept the client's: the index that names the
-- client, vetshare_invoices_client, was ordered by issue time, and SQLite chose the order over
-- the filter. Keyed by (account_id, client_id, number), one index gives both, a page from the
-- cursor; the merges that read it by (account_id, client_id) read it as before.
DROP INDEX vetshare_invoices_client;
CREATE INDEX vetshare_invoices_client ON vetshare_invoices (account_id, client_id, number);
