-- Per-channel settings (Settings › Sales Channels), the last sync error for
-- troubleshooting, and soft disconnect: a disconnected channel keeps its row
-- so its orders keep their channel, and reconnecting the same account reuses it.
ALTER TABLE channels ADD COLUMN sync_direction TEXT NOT NULL DEFAULT 'pull'
    CHECK (sync_direction IN ('pull', 'push', 'two_way'));
ALTER TABLE channels ADD COLUMN auto_sync_minutes INTEGER;
ALTER TABLE channels ADD COLUMN price_list TEXT;
ALTER TABLE channels ADD COLUMN warehouse TEXT;
ALTER TABLE channels ADD COLUMN order_prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE channels ADD COLUMN last_error TEXT;
ALTER TABLE channels ADD COLUMN last_error_at INTEGER;
ALTER TABLE channels ADD COLUMN disconnected_at INTEGER;
