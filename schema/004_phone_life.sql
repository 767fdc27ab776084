-- 004_phone_life.sql - a phone number's life after it is added:
-- two-step PIN, display-name review, business profile and settings as
-- columns of the number (so fixtures, export and import carry them), and
-- two logs that only the phone-life handlers read: the verification
-- codes "sent" and the register / deregister calls, counted on the
-- emulator clock for Meta's limits.  Both logs follow their number
-- (ON DELETE CASCADE), so store_clear() empties them with it.
ALTER TABLE phone_numbers ADD COLUMN pin TEXT;
ALTER TABLE phone_numbers ADD COLUMN new_display_name TEXT;
ALTER TABLE phone_numbers ADD COLUMN new_name_status TEXT NOT NULL
    DEFAULT 'NONE';
ALTER TABLE phone_numbers ADD COLUMN name_review_at INTEGER;
ALTER TABLE phone_numbers ADD COLUMN search_visibility TEXT NOT NULL
    DEFAULT 'VISIBLE';
ALTER TABLE phone_numbers ADD COLUMN data_localization_region TEXT;
ALTER TABLE phone_numbers ADD COLUMN profile_about TEXT;
ALTER TABLE phone_numbers ADD COLUMN profile_address TEXT;
ALTER TABLE phone_numbers ADD COLUMN profile_description TEXT;
ALTER TABLE phone_numbers ADD COLUMN profile_email TEXT;
ALTER TABLE phone_numbers ADD COLUMN profile_websites TEXT NOT NULL
    DEFAULT '[]';	-- JSON array of strings
ALTER TABLE phone_numbers ADD COLUMN profile_vertical TEXT;
ALTER TABLE phone_numbers ADD COLUMN profile_picture_url TEXT;
ALTER TABLE phone_numbers ADD COLUMN calling_status TEXT NOT NULL
    DEFAULT 'DISABLED';
ALTER TABLE phone_numbers ADD COLUMN call_icon_visibility TEXT NOT NULL
    DEFAULT 'DEFAULT';
ALTER TABLE phone_numbers ADD COLUMN callback_permission_status TEXT
    NOT NULL DEFAULT 'DISABLED';

-- A name review still to decide, found by time.
CREATE INDEX phone_numbers_review ON phone_numbers (name_review_at)
    WHERE name_review_at IS NOT NULL;

-- POST /{phone-id}/request_code: every code "sent", for the SMS inbox of
-- the control plane and the five-an-hour limit.
CREATE TABLE phone_codes (
	seq INTEGER PRIMARY KEY,
	phone INTEGER NOT NULL REFERENCES phone_numbers (id)
	    ON DELETE CASCADE,
	code TEXT NOT NULL,
	code_method TEXT NOT NULL,
	language TEXT NOT NULL,
	sent_at INTEGER NOT NULL
);
CREATE INDEX phone_codes_phone ON phone_codes (phone, seq);

-- Successful register and deregister calls, for the 72-hour windows.
CREATE TABLE phone_actions (
	seq INTEGER PRIMARY KEY,
	phone INTEGER NOT NULL REFERENCES phone_numbers (id)
	    ON DELETE CASCADE,
	action TEXT NOT NULL CHECK (action IN ('register', 'deregister')),
	at INTEGER NOT NULL
);
CREATE INDEX phone_actions_phone ON phone_actions (phone, action, at);
