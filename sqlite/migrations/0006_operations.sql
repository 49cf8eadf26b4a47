-- R10.1: the entries one operation call writes share an operation id, and carry the host's own
-- request id when it gave one. Entries written before keep both empty (and hash as they did:
-- see vetshare.AuditHash). Adding columns is no UPDATE, so the append-only triggers stay as they
-- are.
ALTER TABLE vetshare_audit_log ADD COLUMN operation_id TEXT NOT NULL DEFAULT '';
ALTER TABLE vetshare_audit_log ADD COLUMN request_id TEXT NOT NULL DEFAULT '';

-- A share group's history: every membership, past and present, by joining time (the index of
-- 0001 holds the current ones only).
CREATE INDEX vetshare_group_members_history ON vetshare_group_members (group_id, joined_at, account_id);
