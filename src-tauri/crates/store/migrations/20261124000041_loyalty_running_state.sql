-- Per-member stamp counts per punch card: the running state that lets a
-- synced order placed after a member's last order be applied without
-- re-reading their history (the next stamp's number is this count + 1).
-- Derived like the other loyalty tables; backfilled from member_orders.
CREATE TABLE member_stamps (
    member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    card_id    INTEGER NOT NULL,
    stamps     INTEGER NOT NULL,
    PRIMARY KEY (member_id, card_id)
) WITHOUT ROWID;

INSERT INTO member_stamps (member_id, card_id, stamps)
SELECT mo.member_id, c.value, COUNT(*)
  FROM member_orders mo, json_each(mo.stamp_cards) c
 GROUP BY mo.member_id, c.value;
