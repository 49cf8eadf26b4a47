-- Issue 16, the index diet, from TestEveryIndexServesAStatement (sqlite/INDEXES.md), which
-- explains every statement of the conformance suite: four indexes that no statement reads, each
-- written for nothing, and one that a merge's statement lacked.
-- vetshare_invoices_paid ((account_id, paid_at)): the reports read a client's last payment
-- through vetshare_invoices_report_paid; nothing else orders or finds invoices by paid_at. It
-- was written by every invoice and again by the payment that settles one.
DROP INDEX vetshare_invoices_paid;
-- vetshare_contacts_company ((company_id)): would serve the foreign key's check when a company
-- is deleted or its id changes, and a contact is never deleted and keeps its id. A contact
-- written with a company wrote it. An operation that deletes contacts must add it back.
DROP INDEX vetshare_contacts_company;
-- vetshare_records_account ((account_id, created_at)) and vetshare_invoice_lines_record
-- ((record_id)): would serve the foreign keys' checks when an account or a record is deleted or
-- changes its id, which none does (a removed record is kept, marked, R5.3); every record and
-- every billed line wrote one.
DROP INDEX vetshare_records_account;
DROP INDEX vetshare_invoice_lines_record;
-- vetshare_tasks_client: a merge moves the merged client's tasks to the survivor
-- (MergeClients, UPDATE vetshare_tasks … WHERE client_id = ?), which read every task of the
-- store without it. Only tasks about a client have an entry.
CREATE INDEX vetshare_tasks_client ON vetshare_tasks (client_id) WHERE client_id IS NOT NULL;
