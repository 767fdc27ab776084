-- 006_messages.sql - messages sent through POST /{phone-id}/messages and
-- the customers' messages the control plane simulates.  An outbound
-- message moves accepted -> sent -> delivered -> read on the emulator
-- clock (or to failed); due_at is when it next moves, and the partial
-- index keeps "is anything due?" one seek when nothing is.  Inbound
-- messages are kept for the 24-hour customer-service window.
CREATE TABLE messages (
	seq INTEGER NOT NULL UNIQUE,
	id TEXT PRIMARY KEY,                 -- "wamid...."
	phone INTEGER NOT NULL REFERENCES phone_numbers (id)
	    ON DELETE CASCADE,
	direction TEXT NOT NULL,             -- outbound | inbound
	wa_id TEXT NOT NULL,                 -- the customer
	type TEXT NOT NULL,                  -- text | template
	text TEXT,                           -- a text message's body
	template_name TEXT,
	template_language TEXT,
	status TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	due_at INTEGER,
	error_code INTEGER                   -- failed: the code it failed with
) WITHOUT ROWID;
-- the window: a customer's newest message to a number (sends are counted
-- per second in memory, server/ratelimit.c, so they need no index)
CREATE INDEX messages_window ON messages (phone, wa_id, created_at)
    WHERE direction = 'inbound';
CREATE INDEX messages_due ON messages (due_at, seq) WHERE due_at IS NOT NULL;
