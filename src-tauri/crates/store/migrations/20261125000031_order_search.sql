-- The orders list's customer and SKU filters, fast at a million orders (issue 5).
--
-- "hana" used to be `customer_name LIKE '%hana%' OR email LIKE …` on every
-- order: 200+ ms to count, and up to 1.6 s for a page sorted by customer.
-- Now the search runs over the distinct customers (a few per hundred
-- orders) through a trigram index, and the orders list reaches their
-- orders through one index on a single key column.

-- Name, then email: what the Customer sort orders by and what the filter
-- looks up. A VIRTUAL generated column costs no space in the row; SQLite
-- seeks its index with `IN (subquery)`, which it doesn't do for the
-- expression index this replaces. char(31) sorts below every printable
-- character, so the key orders like the name alone, then the email.
ALTER TABLE orders ADD COLUMN customer_key TEXT
    GENERATED ALWAYS AS (ifnull(customer_name, '') || char(31) || ifnull(email_normalized, '')) VIRTUAL;
DROP INDEX orders_by_customer;
CREATE INDEX orders_by_customer ON orders (customer_key);

-- Every (name, email) an order has carried. Append-only: a customer whose
-- orders all changed name stays here and simply matches no order.
CREATE TABLE customers (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    email  TEXT NOT NULL,
    UNIQUE (name, email)
);

-- Any case, with or without accents ("muller" finds "Müller"); three
-- characters or more go through the index, shorter ones scan `customers`.
-- Indexing a customer costs about 40 µs, ten times what the order's own
-- row costs a sync, so it isn't done as orders arrive: the customers added
-- since `indexed_through` are indexed in bulk after each sync run and
-- before any search (counterline_store::customer_search).
CREATE VIRTUAL TABLE customer_search USING fts5(
    name, email, content = 'customers', content_rowid = 'id', tokenize = 'trigram remove_diacritics 1'
);
CREATE TABLE customer_search_state (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_through   INTEGER NOT NULL     -- customers.id; ids only grow, rows are never removed
);

-- Kept in the same statement as the order, so the list's match sets never
-- miss one. A repeat customer costs one lookup in the unique index. Not
-- `INSERT OR IGNORE`: inside a trigger fired by an upsert, SQLite applies
-- the outer statement's conflict policy, and an order changed to another
-- known customer failed with a UNIQUE error.
CREATE TRIGGER orders_new_customer AFTER INSERT ON orders BEGIN
    INSERT INTO customers (name, email)
    SELECT ifnull(NEW.customer_name, ''), ifnull(NEW.email_normalized, '')
     WHERE NOT EXISTS (SELECT 1 FROM customers
                        WHERE name = ifnull(NEW.customer_name, '') AND email = ifnull(NEW.email_normalized, ''));
END;
CREATE TRIGGER orders_changed_customer AFTER UPDATE OF customer_name, email_normalized ON orders
WHEN NEW.customer_key IS NOT OLD.customer_key BEGIN
    INSERT INTO customers (name, email)
    SELECT ifnull(NEW.customer_name, ''), ifnull(NEW.email_normalized, '')
     WHERE NOT EXISTS (SELECT 1 FROM customers
                        WHERE name = ifnull(NEW.customer_name, '') AND email = ifnull(NEW.email_normalized, ''));
END;

INSERT OR IGNORE INTO customers (name, email)
SELECT ifnull(customer_name, ''), ifnull(email_normalized, '') FROM orders;
INSERT INTO customer_search (rowid, name, email) SELECT id, name, email FROM customers;
INSERT INTO customer_search_state (id, indexed_through) SELECT 1, ifnull(max(id), 0) FROM customers;

-- "Find SKU-123" lists the orders holding that SKU: with the order id in
-- the index, the list of ids is read from the index alone (it was one
-- table lookup per line, 3.5 ms for 5,000 lines).
DROP INDEX order_lines_by_sku;
CREATE INDEX order_lines_by_sku ON order_lines (sku, order_id) WHERE sku IS NOT NULL;
