-- The credit ledger's order entries become a view over member_orders, which
-- already holds what they say (earned_minor, reversed_minor, the order and
-- member): each order that earned credit wrote its member_orders row and
-- then a ledger entry with the same figures, a second table and a second
-- unique index per order on a synced page. The entries' reasons and the
-- reversal's time move into the member_orders row (NULL when the entry
-- doesn't exist: no credit earned, none taken back); only manual
-- adjustments stay a table of their own.
--
-- Entry ids: adjustments keep theirs. An order's entries have no row of
-- their own any more, so their id is derived from the order, negative so
-- that it never meets an adjustment's: -2 * order - 1 for the earn entry,
-- -2 * order for its reversal (the earn entry first when both share a
-- time, as the old insertion order had it).
ALTER TABLE member_orders ADD COLUMN earn_reason TEXT;
ALTER TABLE member_orders ADD COLUMN reversal_reason TEXT;
ALTER TABLE member_orders ADD COLUMN reversal_at INTEGER;
UPDATE member_orders
   SET earn_reason = (SELECT l.reason FROM credit_ledger l
                       WHERE l.order_id = member_orders.order_id AND l.kind = 'earn' AND l.member_id = member_orders.member_id),
       reversal_reason = (SELECT l.reason FROM credit_ledger l
                           WHERE l.order_id = member_orders.order_id AND l.kind = 'reversal' AND l.member_id = member_orders.member_id),
       reversal_at = (SELECT l.at FROM credit_ledger l
                       WHERE l.order_id = member_orders.order_id AND l.kind = 'reversal' AND l.member_id = member_orders.member_id)
 WHERE earned_minor > 0 OR reversed_minor > 0;

CREATE TABLE credit_adjustments (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    amount_minor  INTEGER NOT NULL,
    at            INTEGER NOT NULL,
    reason        TEXT    NOT NULL
);
CREATE INDEX credit_adjustments_by_member ON credit_adjustments (member_id);
INSERT INTO credit_adjustments (id, member_id, amount_minor, at, reason)
SELECT id, member_id, amount_minor, at, reason FROM credit_ledger WHERE kind = 'manual' ORDER BY id;

DROP VIEW member_ledger;
DROP TABLE credit_ledger;

-- One entry per (member, order, kind) as before; a filter on member_id or
-- order_id reaches each branch's index (member_orders_by_member, its key,
-- credit_adjustments_by_member).
CREATE VIEW credit_ledger (id, member_id, order_id, kind, amount_minor, at, reason) AS
SELECT -2 * order_id - 1, member_id, order_id, 'earn', earned_minor, created_at, earn_reason
  FROM member_orders WHERE earned_minor > 0
UNION ALL
SELECT -2 * order_id, member_id, order_id, 'reversal', -reversed_minor, reversal_at, reversal_reason
  FROM member_orders WHERE reversed_minor > 0
UNION ALL
SELECT id, member_id, NULL, 'manual', amount_minor, at, reason FROM credit_adjustments;
-- The name the members code reads a member's ledger by.
CREATE VIEW member_ledger AS SELECT * FROM credit_ledger;

-- loyalty_days is kept per page by the loyalty crate for the rows it inserts
-- or updates (one statement for the page's days, where these triggers ran
-- one or two statements per row). Deletes keep their trigger: rows also go
-- by cascade (a member deleted) and by a full recompute.
DROP TRIGGER loyalty_days_insert;
DROP TRIGGER loyalty_days_update;
