-- Members and loyalty (issue 6). Members are the merchant's data; every
-- other table here is derived from members, orders and the rules by the
-- counterline-loyalty crate, and can be rebuilt from them at any time.

-- What the channel says was refunded, in the order's minor units.
ALTER TABLE orders ADD COLUMN refunded_minor INTEGER NOT NULL DEFAULT 0;

CREATE TABLE members (
    id                INTEGER PRIMARY KEY,
    email             TEXT    NOT NULL,          -- as the merchant typed it
    email_normalized  TEXT    NOT NULL UNIQUE,   -- trimmed + lowercased: the match key
    name              TEXT,
    phone             TEXT,
    note              TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

-- The rules as one JSON document (LoyaltySettings); one row.
CREATE TABLE loyalty_settings (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    settings    TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- The merchant's SKU → category map for category punch cards (order lines
-- carry no category on most platforms).
CREATE TABLE sku_categories (
    sku       TEXT PRIMARY KEY,
    category  TEXT NOT NULL
);

-- The match: which member each order belongs to, and what it counts for.
CREATE TABLE member_orders (
    order_id     INTEGER PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    counted      INTEGER NOT NULL,   -- 0: cancelled, returned, fully refunded or unrated currency
    spend_minor  INTEGER NOT NULL,   -- net qualifying spend, program currency
    earned_minor INTEGER NOT NULL,   -- credit this order earns before refunds
    reversed_minor INTEGER NOT NULL, -- credit its refund takes back (>= 0)
    stamp_cards  TEXT    NOT NULL    -- JSON array of punch card ids it stamps
);
-- Covering: a member's timeline (the tier walk, stamps, totals) is read
-- from the index alone, without a table lookup per order.
CREATE INDEX member_orders_by_member
    ON member_orders (member_id, created_at, counted, spend_minor, stamp_cards);
CREATE INDEX member_orders_by_created ON member_orders (created_at);

-- Credit: one entry per (member, order, kind) for earn/reversal; manual
-- adjustments have no order.
CREATE TABLE credit_ledger (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    order_id      INTEGER REFERENCES orders(id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('earn', 'reversal', 'manual')),
    amount_minor  INTEGER NOT NULL,
    at            INTEGER NOT NULL,
    reason        TEXT    NOT NULL,
    UNIQUE (member_id, order_id, kind)
);
CREATE INDEX credit_ledger_by_order ON credit_ledger (order_id);

-- Punch card rewards issued (derived from member_orders.stamp_cards).
CREATE TABLE punch_rewards (
    member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    card_id    INTEGER NOT NULL,
    number     INTEGER NOT NULL,
    order_id   INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (member_id, card_id, number)
);

-- Tier changes, when and why (derived by walking the member's orders).
CREATE TABLE tier_changes (
    member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    from_tier  TEXT,
    to_tier    TEXT,
    order_id   INTEGER,
    reason     TEXT    NOT NULL,
    PRIMARY KEY (member_id, seq)
);
CREATE INDEX tier_changes_by_at ON tier_changes (at);

-- Per-member figures and the RFM score.
CREATE TABLE member_stats (
    member_id       INTEGER PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
    order_count     INTEGER NOT NULL,
    spend_minor     INTEGER NOT NULL,
    credit_minor    INTEGER NOT NULL,
    first_order_at  INTEGER,
    last_order_at   INTEGER,
    tier            TEXT,
    other_currency  INTEGER NOT NULL DEFAULT 0,
    recency         INTEGER,
    frequency       INTEGER,
    monetary        INTEGER,
    segment         TEXT,
    scored_at       INTEGER
);
CREATE INDEX member_stats_by_segment ON member_stats (segment);
CREATE INDEX member_stats_by_tier ON member_stats (tier);

-- The last full RFM recompute's quintile boundaries (JSON), used to score
-- members touched by a sync until the next full recompute.
CREATE TABLE rfm_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    boundaries   TEXT    NOT NULL,
    computed_at  INTEGER NOT NULL
);

-- Segment counts at each full recompute, one row per (UTC day, segment).
CREATE TABLE segment_snapshots (
    day      INTEGER NOT NULL,   -- UTC ms of the day's midnight
    segment  TEXT    NOT NULL,
    members  INTEGER NOT NULL,
    PRIMARY KEY (day, segment)
);
