-- Insights read a date range of member orders: index-only with these
-- columns, instead of one table lookup per order.
DROP INDEX member_orders_by_created;
CREATE INDEX member_orders_by_created ON member_orders (created_at, member_id, counted, spend_minor);
DROP INDEX tier_changes_by_at;
CREATE INDEX tier_changes_by_at ON tier_changes (at, member_id, seq, to_tier);

-- Member spend per UTC day (day = created_at / 86,400,000), kept by the
-- triggers below in whatever transaction changes member_orders (a sync
-- page, a member deleted, a recompute), so "spend before the range" is a
-- sum over at most a few thousand days instead of every order.
CREATE TABLE loyalty_days (
    day          INTEGER PRIMARY KEY,
    spend_minor  INTEGER NOT NULL,
    orders       INTEGER NOT NULL
);
INSERT INTO loyalty_days (day, spend_minor, orders)
SELECT created_at / 86400000, SUM(spend_minor), COUNT(*) FROM member_orders GROUP BY created_at / 86400000;

CREATE TRIGGER loyalty_days_insert AFTER INSERT ON member_orders BEGIN
    INSERT INTO loyalty_days (day, spend_minor, orders) VALUES (NEW.created_at / 86400000, NEW.spend_minor, 1)
        ON CONFLICT (day) DO UPDATE SET spend_minor = spend_minor + excluded.spend_minor, orders = orders + 1;
END;
CREATE TRIGGER loyalty_days_delete AFTER DELETE ON member_orders BEGIN
    UPDATE loyalty_days SET spend_minor = spend_minor - OLD.spend_minor, orders = orders - 1
     WHERE day = OLD.created_at / 86400000;
END;
CREATE TRIGGER loyalty_days_update AFTER UPDATE OF created_at, spend_minor ON member_orders BEGIN
    UPDATE loyalty_days SET spend_minor = spend_minor - OLD.spend_minor, orders = orders - 1
     WHERE day = OLD.created_at / 86400000;
    INSERT INTO loyalty_days (day, spend_minor, orders) VALUES (NEW.created_at / 86400000, NEW.spend_minor, 1)
        ON CONFLICT (day) DO UPDATE SET spend_minor = spend_minor + excluded.spend_minor, orders = orders + 1;
END;
