-- Assigned To Me over several clinics reads one range of the tasks' (owner, assignee) index
-- (issue 16). The index now carries every column a task list shows (driver.TasksTx.Tasks: the
-- list's fields, not the notes, which could pass a B-tree entry's size, nor the repeat rule,
-- creator, update and completion times, links and version) as INCLUDE columns, so the list
-- can be an index-only scan. Key and order unchanged.
DROP INDEX vetshare.tasks_owner_id_assignee_id_done_due_priority_id_idx;
CREATE INDEX tasks_assignee_list ON vetshare.tasks (owner_id, assignee_id, done, due, priority DESC, id)
	INCLUDE (account_id, kind, title, status, client_id, patient_id, created_at);
