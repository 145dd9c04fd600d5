-- member_orders without its foreign key to members. Every row a synced
-- page inserts or moves checked that its member exists: a lookup in the
-- members table, a random page of it for each member the page touches, when
-- the loyalty crate had just found that member by email in the same
-- transaction. The cascade the key gave (a member deleted takes their
-- matched orders along) is kept by a trigger, which costs nothing on insert.
-- The key to orders stays: a new order's parent is on the page just written.
--
-- SQLite can't drop a constraint, so the table is rebuilt (a few seconds at
-- 1,000,000 orders); the views over it go first, since renaming a table
-- re-checks every view in the schema.
DROP VIEW member_ledger;
DROP VIEW credit_ledger;

CREATE TABLE member_orders_new (
    order_id        INTEGER PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
    member_id       INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    counted         INTEGER NOT NULL,
    spend_minor     INTEGER NOT NULL,
    earned_minor    INTEGER NOT NULL,
    reversed_minor  INTEGER NOT NULL,
    stamp_cards     TEXT    NOT NULL,
    earn_reason     TEXT,
    reversal_reason TEXT,
    reversal_at     INTEGER
);
INSERT INTO member_orders_new (order_id, member_id, created_at, counted, spend_minor, earned_minor, reversed_minor,
                               stamp_cards, earn_reason, reversal_reason, reversal_at)
SELECT order_id, member_id, created_at, counted, spend_minor, earned_minor, reversed_minor,
       stamp_cards, earn_reason, reversal_reason, reversal_at
  FROM member_orders ORDER BY order_id;
-- Takes its indexes and its loyalty_days trigger along.
DROP TABLE member_orders;
ALTER TABLE member_orders_new RENAME TO member_orders;

CREATE INDEX member_orders_by_member ON member_orders (member_id, created_at, counted, spend_minor, stamp_cards);
CREATE INDEX member_orders_by_created ON member_orders (created_at, member_id, counted, spend_minor);

CREATE TRIGGER loyalty_days_delete AFTER DELETE ON member_orders BEGIN
    UPDATE loyalty_days SET spend_minor = spend_minor - OLD.spend_minor, orders = orders - 1
     WHERE day = OLD.created_at / 86400000;
END;
CREATE TRIGGER member_orders_member_deleted AFTER DELETE ON members BEGIN
    DELETE FROM member_orders WHERE member_id = OLD.id;
END;

CREATE VIEW credit_ledger (id, member_id, order_id, kind, amount_minor, at, reason) AS
SELECT -2 * order_id - 1, member_id, order_id, 'earn', earned_minor, created_at, earn_reason
  FROM member_orders WHERE earned_minor > 0
UNION ALL
SELECT -2 * order_id, member_id, order_id, 'reversal', -reversed_minor, reversal_at, reversal_reason
  FROM member_orders WHERE reversed_minor > 0
UNION ALL
SELECT id, member_id, NULL, 'manual', amount_minor, at, reason FROM credit_adjustments;
CREATE VIEW member_ledger AS SELECT * FROM credit_ledger;
