-- Channels: one row per connected sales channel account. Credentials are NOT
-- here: they live in the OS keychain under a key derived from (platform, account).
CREATE TABLE channels (
    id              INTEGER PRIMARY KEY,
    platform        TEXT    NOT NULL,
    account         TEXT    NOT NULL,          -- e.g. the shop domain
    name            TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active','paused','error')),
    status_detail   TEXT,
    created_at      INTEGER NOT NULL,          -- UTC unix ms
    last_synced_at  INTEGER,
    UNIQUE (platform, account)
);

-- Orders, keyed by (channel, external id) so re-syncing upserts in place.
-- Money: integer minor units + ISO 4217 currency. Times: UTC unix ms.
CREATE TABLE orders (
    id                  INTEGER PRIMARY KEY,
    channel_id          INTEGER NOT NULL REFERENCES channels(id),
    external_id         TEXT    NOT NULL,
    number              TEXT    NOT NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    cancelled_at        INTEGER,
    email               TEXT,
    email_normalized    TEXT,                  -- trimmed + lowercased, for member matching
    customer_name       TEXT,
    status              TEXT    NOT NULL CHECK (status IN ('pending','processing','shipped','delivered','cancelled','returned')),
    financial_status    TEXT,                  -- the platform's own value, kept verbatim
    fulfillment_status  TEXT,                  -- the platform's own value, kept verbatim
    currency            TEXT    NOT NULL,
    total_minor         INTEGER NOT NULL,
    subtotal_minor      INTEGER NOT NULL,
    tax_minor           INTEGER NOT NULL,
    shipping_address    TEXT,                  -- JSON, as normalized by the adapter
    payload_digest      TEXT    NOT NULL,      -- sha256 of the normalized order; unchanged pages write nothing
    UNIQUE (channel_id, external_id)
);
CREATE INDEX orders_by_created ON orders (created_at DESC, id DESC);
CREATE INDEX orders_by_channel_created ON orders (channel_id, created_at DESC, id DESC);
CREATE INDEX orders_by_email ON orders (email_normalized);

CREATE TABLE order_lines (
    id                 INTEGER PRIMARY KEY,
    order_id           INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    external_id        TEXT    NOT NULL,
    sku                TEXT,
    title              TEXT    NOT NULL,
    quantity           INTEGER NOT NULL,
    unit_price_minor   INTEGER NOT NULL,
    UNIQUE (order_id, external_id)
);

-- Incremental pull position per channel, written in the same transaction as
-- the page of orders it follows, so a crash can never skip or repeat a page.
CREATE TABLE order_cursors (
    channel_id   INTEGER PRIMARY KEY REFERENCES channels(id),
    updated_at   INTEGER NOT NULL,    -- high-water mark of the platform's updated_at
    saved_at     INTEGER NOT NULL
);

-- Pending OAuth attempts. Only a digest of `state` is kept: the raw value is a
-- bearer nonce that lives in the browser round-trip only.
CREATE TABLE connect_attempts (
    id            TEXT    PRIMARY KEY,
    state_digest  TEXT    NOT NULL UNIQUE,
    platform      TEXT    NOT NULL,
    account       TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    used_at       INTEGER
);
