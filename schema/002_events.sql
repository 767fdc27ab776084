-- 002_events.sql - webhooks: who subscribed to what, the events that
-- happened (a transactional outbox: a change and its event commit
-- together) and the deliveries of each event to each subscriber.
--
-- Subscriptions follow their app and WABA (ON DELETE CASCADE), so that
-- store_clear() can empty the node tables.  Events and deliveries point at
-- nothing but each other: the outbox is emptied on reset and import, and
-- an app gone meanwhile makes its pending deliveries fail, not the store.
-- Times are unix seconds on the emulator clock.

-- POST /{app-id}/subscriptions: one row per app and object.
CREATE TABLE app_subscriptions (
	app INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
	object TEXT NOT NULL,
	callback_url TEXT NOT NULL,
	verify_token TEXT NOT NULL DEFAULT '',
	fields TEXT NOT NULL DEFAULT '[]',   -- JSON array of field names
	include_values INTEGER NOT NULL DEFAULT 1
	    CHECK (include_values IN (0, 1)),
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	PRIMARY KEY (app, object)
);

-- POST /{waba-id}/subscribed_apps, optionally with an override.
CREATE TABLE waba_subscribed_apps (
	waba INTEGER NOT NULL REFERENCES wabas (id) ON DELETE CASCADE,
	app INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
	override_callback_uri TEXT,
	verify_token TEXT,
	PRIMARY KEY (waba, app)
);
CREATE INDEX waba_subscribed_apps_app ON waba_subscribed_apps (app);

-- POST /{phone-number-id} webhook_configuration, set by an app's token.
CREATE TABLE phone_webhook_overrides (
	phone INTEGER NOT NULL REFERENCES phone_numbers (id) ON DELETE CASCADE,
	app INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
	override_callback_uri TEXT NOT NULL,
	verify_token TEXT,
	PRIMARY KEY (phone, app)
);

-- AUTOINCREMENT: an id is never reused, even after a reset, so a delivery
-- in flight across a reset cannot update its successor.
CREATE TABLE events (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	field TEXT NOT NULL,
	waba INTEGER NOT NULL,
	phone INTEGER,
	value TEXT NOT NULL,                 -- JSON object
	created_at INTEGER NOT NULL
);

CREATE TABLE deliveries (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	event INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	app INTEGER NOT NULL,
	target TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'pending'
	    CHECK (state IN ('pending', 'delivered', 'failed')),
	next_attempt_at INTEGER,             -- NULL unless pending
	queued_at INTEGER NOT NULL,          -- created or last redelivered
	tries INTEGER NOT NULL DEFAULT 0     -- attempts since queued_at
);
-- the worker's question: what is due, oldest first
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at, id);
CREATE INDEX deliveries_event ON deliveries (event);

CREATE TABLE delivery_attempts (
	delivery INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
	at INTEGER NOT NULL,
	status INTEGER NOT NULL,             -- HTTP status; 0: no answer
	duration_ms INTEGER NOT NULL,
	error TEXT
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery);
