-- R13.1: the pairs of clients the duplicate scan (duplicates.Scan) found and graded, so that the
-- group's duplicate report pages through them best first with one index range read, instead of
-- matching every client of the owner again for each page. client_a < client_b; agree is the
-- fields that agree, comma-separated. A pair goes when it is decided not the same or one of its
-- clients is merged away.
CREATE TABLE vetshare_duplicate_pairs (
	owner_id TEXT NOT NULL REFERENCES vetshare_owners (id),
	client_a TEXT NOT NULL REFERENCES vetshare_clients (id),
	client_b TEXT NOT NULL REFERENCES vetshare_clients (id),
	score    INTEGER NOT NULL,
	rank     INTEGER NOT NULL, -- minus the score
	grade    TEXT NOT NULL,
	agree    TEXT NOT NULL,
	found_at INTEGER NOT NULL,
	PRIMARY KEY (owner_id, client_a, client_b)
) STRICT, WITHOUT ROWID;
-- The report's order: best first (rank is minus the score), then by the ids; one row-value
-- range read from a page's cursor, however many pairs share its score.
CREATE INDEX vetshare_duplicate_pairs_best ON vetshare_duplicate_pairs (owner_id, rank, client_a, client_b);
-- Removing the pairs of a client merged away.
CREATE INDEX vetshare_duplicate_pairs_b ON vetshare_duplicate_pairs (owner_id, client_b);
