// Times arrive as UTC unix milliseconds and are shown in the merchant's own time zone and locale.

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

export function formatDateTime(ms: number): string {
  return dateTimeFormat.format(new Date(ms));
}

export function formatDate(ms: number): string {
  return dateFormat.format(new Date(ms));
}

export function formatTime(ms: number): string {
  return timeFormat.format(new Date(ms));
}

const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600_000],
  ["month", 30 * 24 * 3600_000],
  ["week", 7 * 24 * 3600_000],
  ["day", 24 * 3600_000],
  ["hour", 3600_000],
  ["minute", 60_000],
];

/** "3 hours ago", "yesterday", "just now". */
export function formatRelativeTime(ms: number, now: number = Date.now()): string {
  const delta = ms - now;
  for (const [unit, size] of units) {
    if (Math.abs(delta) >= size) return relativeFormat.format(Math.round(delta / size), unit);
  }
  return "just now";
}

/** "About 3 minutes left", "Less than a minute left": an estimate, so rounded. */
export function formatTimeLeft(ms: number): string {
  if (ms < 60_000) return "Less than a minute left";
  const minutes = Math.round(ms / 60_000);
  if (minutes < 90) return `About ${minutes} minute${minutes === 1 ? "" : "s"} left`;
  const hours = Math.round(ms / 3600_000);
  return `About ${hours} hour${hours === 1 ? "" : "s"} left`;
}
