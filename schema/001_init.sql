-- 001_init.sql - the first schema: one table per fixture key
-- (docs/fixtures.md), the registry of Graph ids and the id counter.
--
-- Ids are INTEGER here and strings on the wire (the store converts).  Every
-- table has an insertion sequence `seq`, so an export keeps the order of
-- creation and phone numbers and assignments page in the order they were
-- added.  Enum values are checked by fixtures.c and the handlers rather
-- than by CHECK constraints, so that a new value never needs a table
-- rebuild.  The store applies this file in one transaction.

CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) WITHOUT ROWID;

-- How many ids store_new_id() has drawn; survives store_clear().
INSERT INTO meta (key, value) VALUES ('id_counter', 0);

-- Every object with a Graph id, whatever its kind: ids are unique across
-- kinds, and a path's id resolves to its type with one lookup.  type holds
-- enum node_type of store.h (2 business, 3 WABA, 4 phone, 5 user, 6 app);
-- the triggers below keep this table in step with the node tables.
CREATE TABLE nodes (
	id INTEGER PRIMARY KEY,
	type INTEGER NOT NULL
);

CREATE TABLE apps (
	id INTEGER PRIMARY KEY,
	seq INTEGER NOT NULL UNIQUE,
	name TEXT NOT NULL,
	secret TEXT NOT NULL,
	require_appsecret_proof INTEGER NOT NULL
	    CHECK (require_appsecret_proof IN (0, 1))
);

CREATE TABLE businesses (
	id INTEGER PRIMARY KEY,
	seq INTEGER NOT NULL UNIQUE,
	name TEXT NOT NULL,
	verification_status TEXT NOT NULL,
	restricted INTEGER NOT NULL CHECK (restricted IN (0, 1)),
	country TEXT NOT NULL
);

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	seq INTEGER NOT NULL UNIQUE,
	name TEXT NOT NULL,
	business INTEGER NOT NULL REFERENCES businesses (id),
	user_type TEXT NOT NULL,
	role TEXT NOT NULL
);
CREATE INDEX users_business ON users (business);

CREATE TABLE wabas (
	id INTEGER PRIMARY KEY,
	seq INTEGER NOT NULL UNIQUE,
	business INTEGER NOT NULL REFERENCES businesses (id),
	name TEXT NOT NULL,
	currency TEXT NOT NULL,
	timezone_id TEXT NOT NULL,
	message_template_namespace TEXT NOT NULL,
	country TEXT NOT NULL,
	creation_time INTEGER NOT NULL,
	ownership_type TEXT NOT NULL,
	account_review_status TEXT NOT NULL,
	is_enabled_for_insights INTEGER NOT NULL
	    CHECK (is_enabled_for_insights IN (0, 1)),
	on_behalf_of_business_info TEXT,	-- JSON object
	primary_funding_id TEXT,
	purchase_order_number TEXT,
	-- NULL: the handler's default (2, or 20 for a verified owner)
	phone_number_limit INTEGER CHECK (phone_number_limit >= 1),
	status TEXT NOT NULL
) WITHOUT ROWID;
-- The keyset of owned_whatsapp_business_accounts: any page is one seek.
-- WITHOUT ROWID above makes id a real column of this index; were it the
-- rowid, SQLite would seek on creation_time alone and scan every WABA
-- created in the same second.
CREATE INDEX wabas_business ON wabas (business, creation_time, id);

CREATE TABLE phone_numbers (
	id INTEGER PRIMARY KEY,
	seq INTEGER NOT NULL UNIQUE,
	waba INTEGER NOT NULL REFERENCES wabas (id),
	cc TEXT NOT NULL,
	phone_number TEXT NOT NULL,
	verified_name TEXT NOT NULL,
	display_phone_number TEXT NOT NULL,
	status TEXT NOT NULL,
	code_verification_status TEXT NOT NULL,
	quality_rating TEXT NOT NULL,
	platform_type TEXT NOT NULL,
	throughput_level TEXT NOT NULL,
	name_status TEXT NOT NULL,
	account_mode TEXT NOT NULL,
	last_onboarded_time INTEGER,
	is_official_business_account INTEGER NOT NULL
	    CHECK (is_official_business_account IN (0, 1)),
	messaging_limit_tier TEXT,
	preverified_id TEXT,
	creation_time INTEGER NOT NULL,
	UNIQUE (cc, phone_number)
);
CREATE INDEX phone_numbers_waba ON phone_numbers (waba, seq, id);

CREATE TABLE tokens (
	seq INTEGER PRIMARY KEY,
	token TEXT NOT NULL UNIQUE,
	app INTEGER NOT NULL REFERENCES apps (id),
	user INTEGER NOT NULL REFERENCES users (id),
	scopes TEXT NOT NULL,		-- JSON array of strings
	granular_scopes TEXT NOT NULL,	-- JSON array of {scope, target_ids}
	issued_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,	-- 0: never
	state TEXT NOT NULL
);
CREATE INDEX tokens_app ON tokens (app);
CREATE INDEX tokens_user ON tokens (user);

CREATE TABLE assignments (
	seq INTEGER PRIMARY KEY,
	waba INTEGER NOT NULL REFERENCES wabas (id),
	user INTEGER NOT NULL REFERENCES users (id),
	tasks TEXT NOT NULL,		-- JSON array of strings
	UNIQUE (waba, user)
);
CREATE INDEX assignments_waba ON assignments (waba, seq);
CREATE INDEX assignments_user ON assignments (user, seq);

CREATE TABLE shares (
	seq INTEGER PRIMARY KEY,
	waba INTEGER NOT NULL REFERENCES wabas (id),
	business INTEGER NOT NULL REFERENCES businesses (id),
	permitted_tasks TEXT NOT NULL,	-- JSON array of strings
	-- A copy of wabas.creation_time kept by the triggers below, so that
	-- client_whatsapp_business_accounts pages by an index as well.
	waba_creation_time INTEGER NOT NULL DEFAULT 0,
	UNIQUE (waba, business)
);
CREATE INDEX shares_business ON shares (business, waba_creation_time, waba);

CREATE TRIGGER shares_ctime AFTER INSERT ON shares BEGIN
	UPDATE shares SET waba_creation_time =
	    (SELECT creation_time FROM wabas WHERE id = new.waba)
	    WHERE seq = new.seq;
END;

CREATE TRIGGER wabas_ctime AFTER UPDATE OF creation_time ON wabas BEGIN
	UPDATE shares SET waba_creation_time = new.creation_time
	    WHERE waba = new.id;
END;

-- The node registry.  An id taken by another kind fails the insert with
-- "UNIQUE constraint failed: nodes.id", and the statement is undone.
CREATE TRIGGER businesses_node AFTER INSERT ON businesses BEGIN
	INSERT INTO nodes (id, type) VALUES (new.id, 2);
END;
CREATE TRIGGER wabas_node AFTER INSERT ON wabas BEGIN
	INSERT INTO nodes (id, type) VALUES (new.id, 3);
END;
CREATE TRIGGER phone_numbers_node AFTER INSERT ON phone_numbers BEGIN
	INSERT INTO nodes (id, type) VALUES (new.id, 4);
END;
CREATE TRIGGER users_node AFTER INSERT ON users BEGIN
	INSERT INTO nodes (id, type) VALUES (new.id, 5);
END;
CREATE TRIGGER apps_node AFTER INSERT ON apps BEGIN
	INSERT INTO nodes (id, type) VALUES (new.id, 6);
END;

CREATE TRIGGER businesses_unnode AFTER DELETE ON businesses BEGIN
	DELETE FROM nodes WHERE id = old.id;
END;
CREATE TRIGGER wabas_unnode AFTER DELETE ON wabas BEGIN
	DELETE FROM nodes WHERE id = old.id;
END;
CREATE TRIGGER phone_numbers_unnode AFTER DELETE ON phone_numbers BEGIN
	DELETE FROM nodes WHERE id = old.id;
END;
CREATE TRIGGER users_unnode AFTER DELETE ON users BEGIN
	DELETE FROM nodes WHERE id = old.id;
END;
CREATE TRIGGER apps_unnode AFTER DELETE ON apps BEGIN
	DELETE FROM nodes WHERE id = old.id;
END;
