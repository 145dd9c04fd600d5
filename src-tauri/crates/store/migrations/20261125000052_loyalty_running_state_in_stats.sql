-- More of a member's running state in their member_stats row: stamp counts
-- per punch card (JSON [[card id, stamps], ...] by card id, replacing the
-- member_stamps table) and how many tier changes their history has (the
-- next one's seq). A synced order is carried forward from this one row:
-- one random page read and written per member a page touches, where the
-- member's stamp counts were a second, and numbering a new tier change
-- read their last one.
ALTER TABLE member_stats ADD COLUMN stamps TEXT NOT NULL DEFAULT '[]';
ALTER TABLE member_stats ADD COLUMN tier_change_count INTEGER NOT NULL DEFAULT 0;
-- member_stamps is keyed (member_id, card_id), so each member's rows come by card.
UPDATE member_stats
   SET stamps = (SELECT json_group_array(json_array(card_id, stamps)) FROM member_stamps s
                  WHERE s.member_id = member_stats.member_id),
       tier_change_count = (SELECT COUNT(*) FROM tier_changes t WHERE t.member_id = member_stats.member_id);
DROP TABLE member_stamps;
