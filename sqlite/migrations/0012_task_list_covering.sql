-- Assigned To Me over several clinics reads one range of vetshare_tasks_assignee (issue 16).
-- The index now carries every column a task list shows (driver.TasksTx.Tasks: the list's
-- fields, not the notes, repeat rule, creator, update and completion times, links and
-- version), so the list is a covering range scan with no read of the table per row. Its name
-- and key are kept: queries name it with INDEXED BY.
DROP INDEX vetshare_tasks_assignee;
CREATE INDEX vetshare_tasks_assignee ON vetshare_tasks
	(assignee_id, done, due, priority DESC, id, account_id, kind, status, client_id, patient_id, created_at, title);
