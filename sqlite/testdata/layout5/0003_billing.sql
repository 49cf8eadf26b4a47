-- Billing (R4) and the address book (R6): invoices, their lines, payments, each client's
-- balance per account, contacts and companies. Nothing here is shared across accounts (R3.4).
-- Money is INTEGER minor units in the currency stored beside it (R4.6). Times are INTEGER
-- microseconds since the Unix epoch, UTC; NULL where a time is unset.

-- An invoice of one account, against that account's client entry (R4.1). paid is the sum of
-- the payments applied to it; paid_at is the instant it became fully paid, NULL until then.
CREATE TABLE invoices (
	id         TEXT PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES accounts (id),
	client_id  TEXT NOT NULL REFERENCES clients (id),
	number     INTEGER NOT NULL, -- 1, 2, 3, ... per account
	status     TEXT NOT NULL CHECK (status IN ('open', 'paid', 'void')),
	currency   TEXT NOT NULL,
	total      INTEGER NOT NULL CHECK (total > 0),
	paid       INTEGER NOT NULL DEFAULT 0 CHECK (paid >= 0 AND paid <= total),
	issued_at  INTEGER NOT NULL,
	paid_at    INTEGER,
	voided_at  INTEGER,
	created_by TEXT NOT NULL REFERENCES users (id),
	note       TEXT NOT NULL,
	CHECK ((status = 'paid') = (paid_at IS NOT NULL)),
	CHECK (status <> 'paid' OR paid = total),
	CHECK ((status = 'void') = (voided_at IS NOT NULL)),
	FOREIGN KEY (account_id, client_id) REFERENCES client_entries (account_id, client_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX invoices_client ON invoices (account_id, client_id, issued_at);
CREATE INDEX invoices_paid ON invoices (account_id, paid_at);
CREATE UNIQUE INDEX invoices_number ON invoices (account_id, number);

-- The lines of an invoice, numbered from 1. A line may name the usage record it bills; it keeps
-- its own description and amount.
CREATE TABLE invoice_lines (
	invoice_id  TEXT NOT NULL REFERENCES invoices (id),
	line        INTEGER NOT NULL,
	description TEXT NOT NULL,
	quantity    INTEGER NOT NULL CHECK (quantity > 0),
	unit_price  INTEGER NOT NULL CHECK (unit_price >= 0),
	amount      INTEGER NOT NULL CHECK (amount >= 0),
	record_id   TEXT REFERENCES records (id),
	PRIMARY KEY (invoice_id, line)
) STRICT, WITHOUT ROWID;
CREATE INDEX invoice_lines_record ON invoice_lines (record_id) WHERE record_id IS NOT NULL;

-- A payment, booked at its invoice's account (account_id). taken_at is the account it was
-- taken from: the same account at the counter (R4.4), any account sharing the client through
-- the app (R4.5). key is the caller's idempotency key, unique per owner.
CREATE TABLE payments (
	id         TEXT PRIMARY KEY,
	owner_id   TEXT NOT NULL REFERENCES owners (id),
	key        TEXT NOT NULL,
	account_id TEXT NOT NULL REFERENCES accounts (id),
	invoice_id TEXT NOT NULL REFERENCES invoices (id),
	client_id  TEXT NOT NULL REFERENCES clients (id),
	channel    TEXT NOT NULL CHECK (channel IN ('counter', 'app')),
	amount     INTEGER NOT NULL CHECK (amount > 0),
	currency   TEXT NOT NULL,
	taken_at   TEXT NOT NULL REFERENCES accounts (id),
	user_id    TEXT NOT NULL REFERENCES users (id),
	method     TEXT NOT NULL,
	reference  TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX payments_key ON payments (owner_id, key);
CREATE INDEX payments_invoice ON payments (invoice_id, created_at);

-- A client's balance at one account (R4.2): what its open invoices there still ask for. The
-- triggers below keep it in the statement that issues, pays or voids an invoice, so that no
-- writer can forget it and the cross-location view (R4.3) reads one row per account.
CREATE TABLE balances (
	account_id    TEXT NOT NULL,
	client_id     TEXT NOT NULL,
	outstanding   INTEGER NOT NULL CHECK (outstanding >= 0),
	open_invoices INTEGER NOT NULL CHECK (open_invoices >= 0),
	PRIMARY KEY (account_id, client_id),
	FOREIGN KEY (account_id, client_id) REFERENCES client_entries (account_id, client_id)
) STRICT, WITHOUT ROWID;

-- An open invoice adds what it asks for to its client's balance at its account.
CREATE TRIGGER invoices_balance_insert AFTER INSERT ON invoices WHEN NEW.status = 'open'
BEGIN
	INSERT INTO balances (account_id, client_id, outstanding, open_invoices)
	VALUES (NEW.account_id, NEW.client_id, NEW.total - NEW.paid, 1)
	ON CONFLICT (account_id, client_id) DO UPDATE
	SET outstanding = outstanding + excluded.outstanding, open_invoices = open_invoices + 1;
END;

-- Voiding an open invoice takes what it still asked for off the balance.
CREATE TRIGGER invoices_balance_void AFTER UPDATE OF status ON invoices
WHEN OLD.status = 'open' AND NEW.status = 'void'
BEGIN
	UPDATE balances SET outstanding = outstanding - (OLD.total - OLD.paid), open_invoices = open_invoices - 1
	WHERE account_id = OLD.account_id AND client_id = OLD.client_id;
END;

-- A payment is applied to its invoice, which it marks paid when it pays the rest, and to the
-- balance. The store inserts a payment only where its invoice is open with the amount
-- outstanding.
CREATE TRIGGER payments_apply AFTER INSERT ON payments
BEGIN
	UPDATE invoices SET paid = paid + NEW.amount WHERE id = NEW.invoice_id;
	UPDATE invoices SET status = 'paid', paid_at = NEW.created_at WHERE id = NEW.invoice_id AND paid = total;
	UPDATE balances SET outstanding = outstanding - NEW.amount,
		open_invoices = open_invoices - (SELECT status = 'paid' FROM invoices WHERE id = NEW.invoice_id)
	WHERE account_id = NEW.account_id AND client_id = NEW.client_id;
END;

-- An account's address book (R6.1): people and companies. A person may work at a company of
-- the same account. copied_from names the entry a copy was made from (R6.2), as history only.
CREATE TABLE contacts (
	id          TEXT PRIMARY KEY,
	account_id  TEXT NOT NULL REFERENCES accounts (id),
	kind        TEXT NOT NULL CHECK (kind IN ('person', 'company')),
	name        TEXT NOT NULL,
	name_key    TEXT NOT NULL, -- vetshare.FoldName(name)
	company_id  TEXT,
	category    TEXT NOT NULL,
	email       TEXT NOT NULL,
	phone       TEXT NOT NULL,
	address     TEXT NOT NULL,
	notes       TEXT NOT NULL,
	copied_from TEXT,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	version     INTEGER NOT NULL,
	FOREIGN KEY (company_id, account_id) REFERENCES contacts (id, account_id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX contacts_id_account ON contacts (id, account_id);
CREATE INDEX contacts_account ON contacts (account_id, name_key, id);
CREATE INDEX contacts_company ON contacts (company_id) WHERE company_id IS NOT NULL;
