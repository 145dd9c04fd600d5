-- member_stats is rewritten for every member a synced page touches, and an
-- upsert that sets `segment` and `tier` (as every stats write does) moves
-- their index entries even when the values stay: two random index pages per
-- member on top of the row's own. Their only reader is the members list's
-- segment and tier filters, which at 100,000 members take 6-10 ms without
-- them (1-3 ms with), less than the unfiltered list's 35 ms sort by name.
-- On the 100,000-member bench, 200 stats upserts took 5.6 ms with these
-- indexes and 1.8 ms without.
DROP INDEX member_stats_by_segment;
DROP INDEX member_stats_by_tier;
