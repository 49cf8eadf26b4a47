-- R13.1: the pairs of clients the duplicate scan (duplicates.Scan) found and graded, so that the
-- group's duplicate report pages through them best first with one index range read, instead of
-- matching every client of the owner again for each page. client_a < client_b in byte order
-- (COLLATE "C", as Go compares them); agree is the fields that agree, comma-separated. A pair
-- goes when it is decided not the same or one of its clients is merged away. Keyed and
-- partitioned by owner like the rest (see 0001).
CREATE TABLE vetshare.duplicate_pairs (
	owner_id text NOT NULL,
	client_a text COLLATE "C" NOT NULL,
	client_b text COLLATE "C" NOT NULL,
	score    integer NOT NULL,
	rank     integer NOT NULL, -- minus the score
	grade    text NOT NULL,
	agree    text NOT NULL,
	found_at bigint NOT NULL,
	PRIMARY KEY (owner_id, client_a, client_b),
	FOREIGN KEY (owner_id, client_a) REFERENCES vetshare.clients (owner_id, id),
	FOREIGN KEY (owner_id, client_b) REFERENCES vetshare.clients (owner_id, id)
) PARTITION BY HASH (owner_id);
-- The report's order: best first (rank is minus the score), then by the ids; one row-value
-- range read from a page's cursor, however many pairs share its score.
CREATE INDEX ON vetshare.duplicate_pairs (owner_id, rank, client_a, client_b);
-- Removing the pairs of a client merged away.
CREATE INDEX ON vetshare.duplicate_pairs (owner_id, client_b);
