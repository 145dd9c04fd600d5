-- Writes to channels (order status now; fulfillment, products and stock
-- later), recorded in the same transaction as the local change and sent by
-- the engine until the platform confirms. `base_updated_at` is the order's
-- platform update time the merchant's change was made against: a remote
-- order that moved past it is a conflict, not something to overwrite.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    channel_id       INTEGER NOT NULL REFERENCES channels(id),
    order_id         INTEGER NOT NULL REFERENCES orders(id),
    kind             TEXT    NOT NULL CHECK (kind IN ('status')),
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
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);
CREATE INDEX outbox_by_order ON outbox (order_id, state);
