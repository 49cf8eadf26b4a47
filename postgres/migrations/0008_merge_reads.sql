-- Issue 16: a client merge moves the merged client's tasks to the survivor (MergeClients,
-- UPDATE vetshare.tasks … WHERE owner_id = $1 AND client_id = $3), which read every task of the
-- owner without an index that names the client. Only tasks about a client have an entry.
-- (The SQLite store found the same by explaining its statements: sqlite/INDEXES.md.)
CREATE INDEX tasks_client ON vetshare.tasks (owner_id, client_id) WHERE client_id IS NOT NULL;
