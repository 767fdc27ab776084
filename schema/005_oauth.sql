-- 005_oauth.sql - apps as Graph sees them: their webhook subscriptions,
-- the WABAs that subscribed them, and the one-time codes of Embedded
-- Signup that /oauth/access_token exchanges for a token.
--
-- The two subscription tables of 002 become fixture tables (objects.c),
-- named as their fixture keys (`subscriptions`, `subscribed_apps`): like
-- every such table they gain the insertion sequence `seq`, which orders
-- exports and lists.  SQLite cannot add a UNIQUE NOT NULL column in place,
-- so each is rebuilt with its rows (numbered in rowid order).

CREATE TABLE subscriptions (
	seq INTEGER NOT NULL UNIQUE,
	app INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
	object TEXT NOT NULL,
	callback_url TEXT NOT NULL,
	verify_token TEXT,
	fields TEXT NOT NULL,                -- JSON array of field names
	include_values INTEGER NOT NULL CHECK (include_values IN (0, 1)),
	active INTEGER NOT NULL CHECK (active IN (0, 1)),
	PRIMARY KEY (app, object)
);
INSERT INTO subscriptions (seq, app, object, callback_url,
    verify_token, fields, include_values, active)
    SELECT row_number() OVER (ORDER BY rowid), app, object, callback_url,
    nullif(verify_token, ''), fields, include_values, active
    FROM app_subscriptions;
DROP TABLE app_subscriptions;

CREATE TABLE subscribed_apps (
	seq INTEGER NOT NULL UNIQUE,
	waba INTEGER NOT NULL REFERENCES wabas (id) ON DELETE CASCADE,
	app INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
	override_callback_uri TEXT,
	verify_token TEXT,
	PRIMARY KEY (waba, app)
);
INSERT INTO subscribed_apps (seq, waba, app,
    override_callback_uri, verify_token)
    SELECT row_number() OVER (ORDER BY rowid), waba, app,
    override_callback_uri, verify_token FROM waba_subscribed_apps;
DROP TABLE waba_subscribed_apps;
CREATE INDEX subscribed_apps_app ON subscribed_apps (app);

-- POST /_emulator/oauth/codes: single use (used_at), expiring on the
-- emulator clock.
CREATE TABLE oauth_codes (
	seq INTEGER NOT NULL UNIQUE,
	code TEXT PRIMARY KEY,
	app INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
	user INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	scopes TEXT NOT NULL,                -- JSON array of strings
	granular_scopes TEXT NOT NULL,       -- JSON array of {scope, target_ids}
	redirect_uri TEXT,
	expires_at INTEGER NOT NULL,
	used_at INTEGER                      -- NULL until exchanged
);
