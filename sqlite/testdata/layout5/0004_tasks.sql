-- Tasks (R9): each belongs to the account it was created in. Lists are ordered by
-- (due, priority DESC, id) and page by that key; due is 9223372036854775807 for a task without
-- a due date, so those come last. done is 1 for a completed task, 0 otherwise, so that the open
-- and in-progress tasks form one ordered range of every index.

CREATE TABLE tasks (
	id           TEXT PRIMARY KEY,
	account_id   TEXT NOT NULL REFERENCES accounts (id),
	kind         TEXT NOT NULL,
	title        TEXT NOT NULL,
	notes        TEXT NOT NULL,
	assignee_id  TEXT NOT NULL REFERENCES users (id),
	due          INTEGER NOT NULL,
	priority     INTEGER NOT NULL,
	status       TEXT NOT NULL CHECK (status IN ('open', 'in-progress', 'completed')),
	done         INTEGER NOT NULL CHECK (done = (status = 'completed')),
	repeat_every INTEGER NOT NULL,
	repeat_unit  TEXT NOT NULL,
	repeat_until INTEGER,
	client_id    TEXT REFERENCES clients (id),
	patient_id   TEXT REFERENCES patients (id),
	created_by   TEXT NOT NULL REFERENCES users (id),
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	completed_at INTEGER,
	previous_id  TEXT,
	next_id      TEXT,
	version      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Assigned To Me for one clinic: an equality prefix, then the list order.
CREATE INDEX tasks_assignee_account ON tasks (assignee_id, account_id, done, due, priority DESC, id);
-- Assigned To Me for several clinics: the list order for the user, with the account at the end
-- so that the clinic filter is read from the index.
CREATE INDEX tasks_assignee ON tasks (assignee_id, done, due, priority DESC, id, account_id);
-- All tasks of one account.
CREATE INDEX tasks_account ON tasks (account_id, done, due, priority DESC, id);
-- Tasks of a patient in one account.
CREATE INDEX tasks_patient ON tasks (patient_id, account_id, done, due, priority DESC, id) WHERE patient_id IS NOT NULL;
