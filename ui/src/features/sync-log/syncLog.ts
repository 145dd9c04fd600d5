// Words and numbers for the sync log: periods, triggers, outcomes and durations as a merchant
// reads them.

import type { RunOutcome } from "../../bindings/RunOutcome";
import type { SyncRun } from "../../bindings/SyncRun";
import type { SyncTrigger } from "../../bindings/SyncTrigger";

export type Period = "24h" | "7d" | "30d";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export const periods: Array<{ value: Period; label: string; ms: number }> = [
  { value: "24h", label: "Last 24 hours", ms: DAY },
  { value: "7d", label: "7 days", ms: 7 * DAY },
  // The log keeps 30 days (the backend's retention), so this period is "everything".
  { value: "30d", label: "30 days", ms: 30 * DAY },
];

export const DEFAULT_PERIOD: Period = "30d";

/** The earliest start time a period shows, counted back from `now`. */
export function periodStart(period: Period, now: number = Date.now()): number {
  return now - (periods.find((p) => p.value === period)?.ms ?? 30 * DAY);
}

export const outcomeOptions: Array<{ value: RunOutcome | "all"; label: string }> = [
  { value: "all", label: "All" },
  { value: "running", label: "Running" },
  { value: "ok", label: "OK" },
  { value: "failed", label: "Failed" },
];

const triggerWords: Record<SyncTrigger, string> = {
  manual: "Sync now",
  scheduled: "Auto-sync",
  connect: "First import",
  retry: "Retry",
  cli: "Command line",
};

export function triggerLabel(trigger: SyncTrigger): string {
  return triggerWords[trigger];
}

/** "0.4 s", "42 s", "3 min 5 s", "1 h 2 min". */
export function formatDuration(ms: number): string {
  const clamped = Math.max(0, ms);
  if (clamped < 10_000) return `${(clamped / 1000).toFixed(1)} s`;
  const seconds = Math.round(clamped / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** How long a run took, or has been going for while it still runs. */
export function runDuration(run: SyncRun, now: number = Date.now()): string {
  return formatDuration((run.endedAt ?? now) - run.startedAt);
}
