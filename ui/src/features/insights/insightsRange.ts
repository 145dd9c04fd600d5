// The date ranges the dashboard offers, as [from, to) in UTC ms ending now (the backend picks
// day, week or month buckets from the range's length).

export type RangeKey = "30d" | "90d" | "12m" | "3y";

export const ranges: Array<{ value: RangeKey; label: string; days: number }> = [
  { value: "30d", label: "Last 30 days", days: 30 },
  { value: "90d", label: "Last 90 days", days: 90 },
  { value: "12m", label: "Last 12 months", days: 365 },
  { value: "3y", label: "Last 3 years", days: 3 * 365 },
];

const DAY = 24 * 3600_000;

export function rangeBounds(key: RangeKey, now: number = Date.now()): { from: number; to: number } {
  const days = ranges.find((range) => range.value === key)?.days ?? 90;
  // Whole UTC days, so the query (and its cache key) stays the same for the rest of the day.
  const to = Math.floor(now / DAY) * DAY + DAY;
  return { from: to - days * DAY, to };
}

const dayLabel = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
const monthLabel = new Intl.DateTimeFormat(undefined, { month: "short", year: "numeric", timeZone: "UTC" });

/** The x-axis label of a bucket that starts at `start`. */
export function bucketLabel(start: number, bucket: "day" | "week" | "month"): string {
  return bucket === "month" ? monthLabel.format(start) : dayLabel.format(start);
}
