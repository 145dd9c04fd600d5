-- Some platforms resume by their own position rather than by time (Lightspeed
-- X-Series' `version`): keep it beside the high-water mark, in the same row,
-- so page and position still commit together.
ALTER TABLE order_cursors ADD COLUMN position TEXT;
