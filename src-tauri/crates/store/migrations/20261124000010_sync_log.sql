-- The sync log: one row per sync run and one per item a run could not bring
-- in. Runs still running have ended_at NULL; a run left that way by a killed
-- process is closed at the next start (see sync_log::close_abandoned).
-- "trigger" is an SQLite keyword, so the column name is always quoted.
CREATE TABLE sync_runs (
    id                INTEGER PRIMARY KEY,
    channel_id        INTEGER NOT NULL REFERENCES channels(id),
    "trigger"         TEXT    NOT NULL CHECK ("trigger" IN ('manual','scheduled','connect','retry','cli')),
    started_at        INTEGER NOT NULL,          -- UTC unix ms
    ended_at          INTEGER,                   -- NULL while running
    pages             INTEGER NOT NULL DEFAULT 0,
    orders_new        INTEGER NOT NULL DEFAULT 0,
    orders_updated    INTEGER NOT NULL DEFAULT 0,
    orders_unchanged  INTEGER NOT NULL DEFAULT 0,
    requests          INTEGER NOT NULL DEFAULT 0,
    throttled         INTEGER NOT NULL DEFAULT 0, -- 429 responses
    error             TEXT                       -- NULL when the run succeeded
);
-- The log reads newest first by id, optionally for one channel.
CREATE INDEX sync_runs_by_channel ON sync_runs (channel_id, id DESC);
-- The period filter.
CREATE INDEX sync_runs_by_started ON sync_runs (started_at);
-- Retention prunes by end time.
CREATE INDEX sync_runs_by_ended ON sync_runs (ended_at);
-- "Running" filter and closing abandoned runs at startup: few rows.
CREATE INDEX sync_runs_running ON sync_runs (id) WHERE ended_at IS NULL;

-- Items (orders, for now) a run could not store. retry_from_ms is the
-- platform's update time to rewind the pull to when the merchant retries.
-- Deleting a run (retention) takes its failures with it; prune never deletes
-- a run that still has an open failure.
CREATE TABLE sync_failures (
    id             INTEGER PRIMARY KEY,
    run_id         INTEGER NOT NULL REFERENCES sync_runs(id) ON DELETE CASCADE,
    channel_id     INTEGER NOT NULL REFERENCES channels(id),
    kind           TEXT    NOT NULL,            -- e.g. 'order'
    external_id    TEXT    NOT NULL,
    message        TEXT    NOT NULL,
    retry_from_ms  INTEGER,
    created_at     INTEGER NOT NULL,
    resolved_at    INTEGER                      -- NULL while open
);
CREATE INDEX sync_failures_by_run ON sync_failures (run_id);
CREATE INDEX sync_failures_by_channel ON sync_failures (channel_id, id DESC);
CREATE INDEX sync_failures_open ON sync_failures (channel_id, id DESC) WHERE resolved_at IS NULL;
CREATE INDEX sync_failures_by_resolved ON sync_failures (resolved_at) WHERE resolved_at IS NOT NULL;
