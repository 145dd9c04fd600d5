// The latest `sync-progress` event per channel, kept outside React Query because it is pushed by
// the backend rather than fetched. The connect wizard, the channel list and the toasts all read
// it, and the wizard may mount after the first events of a backfill have already arrived.

import { useSyncExternalStore } from "react";
import type { SyncProgress } from "../../bindings/SyncProgress";
import { countOf, formatCount } from "../../lib/text";

const latestByChannel = new Map<number, SyncProgress>();
const listeners = new Set<() => void>();

export function recordSyncProgress(progress: SyncProgress): void {
  latestByChannel.set(progress.channelId, progress);
  for (const listener of listeners) listener();
}

/** Forgets everything; tests call this so one test's sync does not leak into the next. */
export function clearSyncProgress(): void {
  latestByChannel.clear();
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSyncProgress(channelId: number | null | undefined): SyncProgress | undefined {
  return useSyncExternalStore(subscribe, () =>
    channelId == null ? undefined : latestByChannel.get(channelId),
  );
}

export function isSyncRunning(progress: SyncProgress | undefined): boolean {
  return progress !== undefined && !progress.done && progress.error === null;
}

/**
 * What a finished sync brought in, in words. Every run re-reads a few minutes before its cursor,
 * so "orders read" would report the same orders again and again; the merchant hears about the
 * new and the changed ones only ("Imported 312 orders" for a first import).
 */
export function syncOutcome({ orders, newOrders, updatedOrders }: SyncProgress): string {
  if (newOrders === 0 && updatedOrders === 0) return "Up to date: no new or changed orders";
  if (updatedOrders === 0 && newOrders === orders) return `Imported ${countOf(newOrders, "order")}`;
  if (newOrders === 0) return `${countOf(updatedOrders, "order")} updated`;
  if (updatedOrders === 0) return countOf(newOrders, "new order");
  return `${countOf(newOrders, "new order")}, ${formatCount(updatedOrders)} updated`;
}
