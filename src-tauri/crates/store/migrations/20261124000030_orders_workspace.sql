-- The orders workspace (issue 5): what the detail shows beyond the list,
-- the list's sort indexes, the order history, locations with stock, and
-- shipments. Every index on `orders` is paid by each sync insert, so only
-- the ones a 100-row page needs at a million orders are here (see
-- docs/benchmarks.md for the cost on sync and the page times they buy).
ALTER TABLE orders ADD COLUMN note TEXT;
ALTER TABLE orders ADD COLUMN shipping_minor INTEGER;   -- NULL: the channel didn't say

-- Sorts. The list's keyset is (sort key, id); an index on the key alone
-- carries the rowid (= id) after it, so it serves both order and cursor.
-- Numbers sort by length first so #999 comes before #1000.
CREATE INDEX orders_by_number ON orders (length(number), number);
CREATE INDEX orders_by_customer ON orders (ifnull(customer_name, ''));
CREATE INDEX orders_by_total ON orders (total_minor);
CREATE INDEX orders_by_payment ON orders (ifnull(financial_status, ''));
CREATE INDEX orders_by_fulfillment ON orders (ifnull(fulfillment_status, ''));
-- Status filter with newest first, and the status sort (status, created, id).
CREATE INDEX orders_by_status_created ON orders (status, created_at);
-- "Find SKU-123": the text filter's exact SKU match.
CREATE INDEX order_lines_by_sku ON order_lines (sku) WHERE sku IS NOT NULL;

-- History of every change to an order, newest first by id. Written by the
-- store for the merchant's changes and the outbox's outcomes, and by the
-- trigger below for changes a sync brings in. "Imported from X" is derived
-- from the order itself, so sync inserts do no extra work.
CREATE TABLE order_events (
    id        INTEGER PRIMARY KEY,
    order_id  INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    at        INTEGER NOT NULL,                 -- UTC unix ms
    actor     TEXT    NOT NULL CHECK (actor IN ('merchant', 'channel', 'counterline')),
    summary   TEXT    NOT NULL
);
CREATE INDEX order_events_by_order ON order_events (order_id, id);

-- A sync rewrites the digest; the merchant's own changes never do. So a
-- status or total that moves together with the digest came from the channel.
CREATE TRIGGER orders_changed_by_channel AFTER UPDATE OF status, total_minor ON orders
WHEN NEW.payload_digest IS NOT OLD.payload_digest
 AND (NEW.status IS NOT OLD.status OR NEW.total_minor IS NOT OLD.total_minor)
BEGIN
    INSERT INTO order_events (order_id, at, actor, summary)
    SELECT NEW.id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), 'channel',
           'The store changed the status to ' || upper(substr(NEW.status, 1, 1)) || substr(NEW.status, 2)
     WHERE NEW.status IS NOT OLD.status;
    INSERT INTO order_events (order_id, at, actor, summary)
    SELECT NEW.id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), 'channel',
           'The store changed the order total'
     WHERE NEW.total_minor IS NOT OLD.total_minor;
END;

CREATE TABLE locations (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind  TEXT NOT NULL CHECK (kind IN ('warehouse', 'store'))
);

-- Units on hand per SKU per location; a missing row is zero.
CREATE TABLE stock_levels (
    location_id  INTEGER NOT NULL REFERENCES locations(id),
    sku          TEXT    NOT NULL,
    on_hand      INTEGER NOT NULL CHECK (on_hand >= 0),
    PRIMARY KEY (location_id, sku)
) WITHOUT ROWID;

-- Every shipment is its own record and its own channel write.
CREATE TABLE shipments (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    location_id      INTEGER REFERENCES locations(id),
    carrier          TEXT    NOT NULL,
    tracking_number  TEXT    NOT NULL,
    tracking_url     TEXT,
    created_at       INTEGER NOT NULL
);
CREATE INDEX shipments_by_order ON shipments (order_id, id);

CREATE TABLE shipment_lines (
    shipment_id  INTEGER NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    -- No foreign key: a sync that drops a line the platform removed must
    -- not fail because the line once shipped.
    line_id      INTEGER NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (shipment_id, line_id)
) WITHOUT ROWID;
CREATE INDEX shipment_lines_by_line ON shipment_lines (line_id);

-- The outbox item that carries a shipment to its channel (NULL for status
-- changes and the whole-order fulfillments queued before shipments existed).
ALTER TABLE outbox ADD COLUMN shipment_id INTEGER REFERENCES shipments(id);
CREATE INDEX outbox_by_shipment ON outbox (shipment_id) WHERE shipment_id IS NOT NULL;
