-- The outbox also carries fulfillments (carrier and tracking number).
-- SQLite can't change a CHECK constraint in place: rebuild the table.
CREATE TABLE outbox_next (
    id               INTEGER PRIMARY KEY,
    channel_id       INTEGER NOT NULL REFERENCES channels(id),
    order_id         INTEGER NOT NULL REFERENCES orders(id),
    kind             TEXT    NOT NULL CHECK (kind IN ('status', 'fulfillment')),
    payload          TEXT    NOT NULL,
    idempotency_key  TEXT    NOT NULL UNIQUE,
    base_updated_at  INTEGER NOT NULL,
    state            TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'conflict', 'failed', 'discarded')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    done_at          INTEGER
);
INSERT INTO outbox_next SELECT * FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_next RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);
CREATE INDEX outbox_by_order ON outbox (order_id, state);
