-- 003_templates.sql - message templates: what a WABA may send outside the
-- customer service window, each reviewed on the emulator clock.
--
-- due_at is when the clock next moves a template by itself (a PENDING one
-- is decided, a PENDING_DELETION one becomes DELETED); the partial index
-- keeps "is anything due?" one seek when nothing is.
CREATE TABLE templates (
	id INTEGER PRIMARY KEY,
	seq INTEGER NOT NULL UNIQUE,
	waba INTEGER NOT NULL REFERENCES wabas (id),
	name TEXT NOT NULL,
	language TEXT NOT NULL,
	category TEXT NOT NULL,
	parameter_format TEXT NOT NULL,
	components TEXT NOT NULL,            -- JSON array
	status TEXT NOT NULL,
	rejected_reason TEXT NOT NULL,
	quality_score TEXT NOT NULL,
	quality_updated INTEGER NOT NULL,
	previous_category TEXT,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	due_at INTEGER,
	pauses INTEGER NOT NULL,
	edits TEXT NOT NULL                  -- JSON array of unix times
);
CREATE INDEX templates_waba ON templates (waba, seq, id);
CREATE INDEX templates_name ON templates (waba, name, language);
CREATE INDEX templates_created ON templates (waba, created_at);
CREATE INDEX templates_due ON templates (due_at) WHERE due_at IS NOT NULL;

-- the node registry: 7 is NODE_TEMPLATE
CREATE TRIGGER templates_node AFTER INSERT ON templates BEGIN
	INSERT INTO nodes (id, type) VALUES (new.id, 7);
END;
CREATE TRIGGER templates_unnode AFTER DELETE ON templates BEGIN
	DELETE FROM nodes WHERE id = old.id;
END;
