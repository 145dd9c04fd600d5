// The one module that talks to the Tauri shell. Everything else in the UI calls these typed
// functions, so tests mock this file and nothing else needs to know the app runs in a webview.

import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { AppInfo } from "../bindings/AppInfo";
import type { ChannelHealth } from "../bindings/ChannelHealth";
import type { ChannelSettings } from "../bindings/ChannelSettings";
import type { ChannelView } from "../bindings/ChannelView";
import type { ConnectOutcome } from "../bindings/ConnectOutcome";
import type { ConnectStarted } from "../bindings/ConnectStarted";
import type { FailureFilter } from "../bindings/FailureFilter";
import type { IpcError } from "../bindings/IpcError";
import type { CsvExport } from "../bindings/CsvExport";
import type { Location } from "../bindings/Location";
import type { LocationKind } from "../bindings/LocationKind";
import type { OrderCount } from "../bindings/OrderCount";
import type { OrderDetail } from "../bindings/OrderDetail";
import type { OrderFilter } from "../bindings/OrderFilter";
import type { OrderQuery } from "../bindings/OrderQuery";
import type { OrderSort } from "../bindings/OrderSort";
import type { OrderStatus } from "../bindings/OrderStatus";
import type { OutboxEntry } from "../bindings/OutboxEntry";
import type { OrdersPage } from "../bindings/OrdersPage";
import type { Platform } from "../bindings/Platform";
import type { RunFilter } from "../bindings/RunFilter";
import type { ShipmentRequest } from "../bindings/ShipmentRequest";
import type { StockLevel } from "../bindings/StockLevel";
import type { SyncFailure } from "../bindings/SyncFailure";
import type { SyncProgress } from "../bindings/SyncProgress";
import type { SyncRun } from "../bindings/SyncRun";
import { isIpcError } from "./errors";

/** Stops listening to a backend event. */
export type Unsubscribe = () => void;

/**
 * Commands reject with an `IpcError`, but Tauri itself rejects with a bare string (unknown
 * command, bad arguments) and a plain browser has no IPC at all. Normalizing here means every
 * caller can show `error.message` to the merchant without guessing the shape.
 */
async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    if (isIpcError(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw { code: "internal", message } satisfies IpcError;
  }
}

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>("app_info");
}

export function channelsList(): Promise<ChannelView[]> {
  return call<ChannelView[]>("channels_list");
}

/** Rust opens the system browser itself; the result arrives later as a `connect-outcome` event. */
export function shopifyConnectStart(shop: string): Promise<ConnectStarted> {
  return call<ConnectStarted>("shopify_connect_start", { shop });
}

/** The Lightspeed point-of-sale lines; each signs in through its own consent page. */
export type LightspeedPlatform = Extract<Platform, "xseries" | "rseries" | "kseries" | "oseries">;

/**
 * Opens the Lightspeed line's consent page in the system browser, where the merchant signs in and
 * picks the store (nothing is typed here). Like `shopifyConnectStart`, the result arrives later as
 * a `connect-outcome` event carrying the returned attempt id. Rejects with a sentence for the
 * merchant when this installation has no app registration for `platform`.
 */
export function lightspeedConnectStart(platform: LightspeedPlatform): Promise<ConnectStarted> {
  return call<ConnectStarted>("lightspeed_connect_start", { platform });
}

/**
 * Connects a BigCommerce store with a store-level API account. `storeHash` may be the bare hash or
 * the API path BigCommerce shows. The backend tests the token with a real call before saving it,
 * then starts the history import (`sync-progress` events). Rejects with `invalid_input`,
 * `channel_auth` or `channel_unreachable` and a sentence for the merchant.
 */
export function bigcommerceConnect(storeHash: string, accessToken: string): Promise<ChannelView> {
  return call<ChannelView>("bigcommerce_connect", { storeHash, accessToken });
}

/**
 * WordPress Application Password sign-in in the system browser, like `shopifyConnectStart`: the
 * result arrives as a `connect-outcome` event carrying the returned attempt id.
 */
export function woocommerceConnectStart(siteUrl: string): Promise<ConnectStarted> {
  return call<ConnectStarted>("woocommerce_connect_start", { siteUrl });
}

/** Connects a WooCommerce store with REST API keys; checked and imported like `bigcommerceConnect`. */
export function woocommerceConnectKeys(
  siteUrl: string,
  consumerKey: string,
  consumerSecret: string,
): Promise<ChannelView> {
  return call<ChannelView>("woocommerce_connect_keys", { siteUrl, consumerKey, consumerSecret });
}

/** The platforms whose built-in demo store `demoConnect` can attach. */
export type DemoPlatform = Extract<Platform, "bigcommerce" | "woocommerce">;

/**
 * Demo mode only: connects the sandbox's store for `platform`. Its credentials are fetched in Rust
 * and never cross IPC.
 */
export function demoConnect(platform: DemoPlatform): Promise<ChannelView> {
  return call<ChannelView>("demo_connect", { platform });
}

/** Starts a background sync; progress arrives as `sync-progress` events. */
export async function channelSync(channelId: number): Promise<void> {
  await call<null>("channel_sync", { channelId });
}

/** Paused keeps the connection and syncs nothing until resumed. Returns the updated channel. */
export function channelSetPaused(channelId: number, paused: boolean): Promise<ChannelView> {
  return call<ChannelView>("channel_set_paused", { channelId, paused });
}

/**
 * Forgets the channel's credentials (OS keychain) and drops it from the channel list. Its orders
 * stay in the orders list, and connecting the same store again reuses the channel.
 */
export async function channelDisconnect(channelId: number): Promise<void> {
  await call<null>("channel_disconnect", { channelId });
}

/**
 * A fresh sign-in for the channel's own store, like `shopifyConnectStart`; the result arrives as
 * a `connect-outcome` event for the same channel, so no order is imported twice. BigCommerce has
 * no browser sign-in and rejects; it is re-authorized by `bigcommerceConnect` with a new token.
 */
export function channelReauthorize(channelId: number): Promise<ConnectStarted> {
  return call<ConnectStarted>("channel_reauthorize", { channelId });
}

/** Rejects with code `invalid_input` and a sentence for the merchant when a setting is refused. */
export function channelUpdateSettings(channelId: number, settings: ChannelSettings): Promise<ChannelView> {
  return call<ChannelView>("channel_update_settings", { channelId, settings });
}

/** Tests the channel's credentials with a real call to the platform now. */
export function channelCheck(channelId: number): Promise<ChannelHealth> {
  return call<ChannelHealth>("channel_check", { channelId });
}

export function ordersPage(query: OrderQuery): Promise<OrdersPage> {
  return call<OrdersPage>("orders_page", { query });
}

/** How many orders match; counting stops at 100,000 (`capped`), which the list shows as "100,000+". */
export function ordersCount(filter: OrderFilter): Promise<OrderCount> {
  return call<OrderCount>("orders_count", { filter });
}

export function orderDetail(orderId: number): Promise<OrderDetail> {
  return call<OrderDetail>("order_detail", { orderId });
}

/**
 * Records a shipment from one location (stock deducted there, status moved on) and queues it for
 * the order's channel. Returns the order as it is now. Rejects with a sentence for the merchant
 * (more than in stock, more than left to ship, missing tracking) and changes nothing then.
 */
export function orderShip(request: ShipmentRequest): Promise<OrderDetail> {
  return call<OrderDetail>("order_ship", { request });
}

/** Writes the matching orders, in list order, to a CSV file in Downloads; says where and how many. */
export function ordersExportCsv(filter: OrderFilter, sort: OrderSort): Promise<CsvExport> {
  return call<CsvExport>("orders_export_csv", { filter, sort });
}

export function locationsList(): Promise<Location[]> {
  return call<Location[]>("locations_list");
}

/** Adds a location (`id` null) or renames / re-kinds one. */
export function locationSave(id: number | null, name: string, kind: LocationKind): Promise<Location> {
  return call<Location>("location_save", { id, name, kind });
}

/** On-hand stock of `skus` at one location; a SKU never counted there comes back as 0. */
export function stockLevels(locationId: number, skus: string[]): Promise<StockLevel[]> {
  return call<StockLevel[]>("stock_levels", { locationId, skus });
}

export async function stockSet(locationId: number, sku: string, onHand: number): Promise<void> {
  await call<null>("stock_set", { locationId, sku, onHand });
}

/**
 * Sets an order's status here and queues it for its channel, which receives it within seconds
 * (or when back online). Rejects with a sentence when the channel takes no changes from Counterline.
 */
export function orderSetStatus(orderId: number, status: OrderStatus): Promise<void> {
  return call<void>("order_set_status", { orderId, status });
}

/**
 * Marks an order shipped with its carrier and tracking number, queued for its channel like a status
 * change. Rejects with a sentence when fields are missing or the channel can't take tracking yet.
 */
export function orderFulfill(orderId: number, carrier: string, trackingNumber: string, trackingUrl: string | null): Promise<void> {
  return call<void>("order_fulfill", { orderId, carrier, trackingNumber, trackingUrl });
}

/** Changes not yet confirmed by their channel: waiting, in conflict, or refused. */
export function outboxEntries(channelId: number | null): Promise<OutboxEntry[]> {
  return call<OutboxEntry[]>("outbox_entries", { channelId });
}

/** Settles a conflict or failure: send Counterline's change anyway, or keep the channel's. */
export function outboxResolve(id: number, sendAnyway: boolean): Promise<void> {
  return call<void>("outbox_resolve", { id, sendAnyway });
}

/** Sync runs, newest first; page on with `beforeId` set to the last run's id. */
export function syncRuns(filter: RunFilter): Promise<SyncRun[]> {
  return call<SyncRun[]>("sync_runs", { filter });
}

/** Items syncs could not bring in, newest first. */
export function syncFailures(filter: FailureFilter): Promise<SyncFailure[]> {
  return call<SyncFailure[]>("sync_failures", { filter });
}

/**
 * Syncs the failed item's channel again in the background (progress arrives as `sync-progress`
 * events) and returns the failure. Rejects with `invalid_input` and a sentence for the merchant
 * when the channel is paused or disconnected, `not_found` when the failure is gone.
 */
export function syncFailureRetry(id: number): Promise<SyncFailure> {
  return call<SyncFailure>("sync_failure_retry", { id });
}

export function onConnectOutcome(handler: (outcome: ConnectOutcome) => void): Promise<Unsubscribe> {
  return listen<ConnectOutcome>("connect-outcome", (event) => handler(event.payload));
}

export function onSyncProgress(handler: (progress: SyncProgress) => void): Promise<Unsubscribe> {
  return listen<SyncProgress>("sync-progress", (event) => handler(event.payload));
}

// ── Members and loyalty (issue 6; contract in /work/contracts/loyalty.md) ──────────────────────

import type { ImportPreview } from "../bindings/ImportPreview";
import type { ImportResult } from "../bindings/ImportResult";
import type { Insights } from "../bindings/Insights";
import type { InsightsQuery } from "../bindings/InsightsQuery";
import type { LedgerEntry } from "../bindings/LedgerEntry";
import type { LoyaltySettings } from "../bindings/LoyaltySettings";
import type { MemberInput } from "../bindings/MemberInput";
import type { MemberOrdersPage } from "../bindings/MemberOrdersPage";
import type { MemberProfile } from "../bindings/MemberProfile";
import type { MemberQuery } from "../bindings/MemberQuery";
import type { MembersPage } from "../bindings/MembersPage";
import type { RfmSummary } from "../bindings/RfmSummary";
import type { SkuCategory } from "../bindings/SkuCategory";
import type { UnmatchedPage } from "../bindings/UnmatchedPage";
import type { UnmatchedQuery } from "../bindings/UnmatchedQuery";
import type { UnmatchedSummary } from "../bindings/UnmatchedSummary";

export function membersList(query: MemberQuery): Promise<MembersPage> {
  return call<MembersPage>("members_list", { query });
}

/** Rejects with `not_found` and a sentence when the member was deleted meanwhile. */
export function memberGet(id: number): Promise<MemberProfile> {
  return call<MemberProfile>("member_get", { id });
}

/** The member's orders from every channel, newest first; page on with `after` = the last `next`. */
export function memberOrders(id: number, after: string | null, limit: number): Promise<MemberOrdersPage> {
  return call<MemberOrdersPage>("member_orders", { id, after, limit });
}

/** Rejects with `invalid_input` and the sentence to show beside the form (bad or taken email). */
export function memberCreate(input: MemberInput): Promise<MemberProfile> {
  return call<MemberProfile>("member_create", { input });
}

/** A changed email re-matches orders; rejects like `memberCreate`. */
export function memberUpdate(id: number, input: MemberInput): Promise<MemberProfile> {
  return call<MemberProfile>("member_update", { id, input });
}

/** The member's orders stay and become unmatched; manual credit entries go with the member. */
export async function memberDelete(id: number): Promise<void> {
  await call<null>("member_delete", { id });
}

/** `amountMinor` is signed, in the program currency; the reason is required. */
export function memberAdjustCredit(id: number, amountMinor: number, reason: string): Promise<LedgerEntry> {
  return call<LedgerEntry>("member_adjust_credit", { id, amountMinor, reason });
}

/** Checks a CSV file's text without changing anything. */
export function membersImportPreview(csv: string): Promise<ImportPreview> {
  return call<ImportPreview>("members_import_preview", { csv });
}

/** All or nothing: any problem rejects with `invalid_input` and nothing is imported. */
export function membersImport(csv: string): Promise<ImportResult> {
  return call<ImportResult>("members_import", { csv });
}

/** Every member as CSV text, for the UI to save. */
export function membersExport(): Promise<string> {
  return call<string>("members_export");
}

/** Orders that belong to no member (guests, no email), newest first. */
export function unmatchedOrders(query: UnmatchedQuery): Promise<UnmatchedPage> {
  return call<UnmatchedPage>("unmatched_orders", { query });
}

export function unmatchedSummary(channelId: number | null): Promise<UnmatchedSummary> {
  return call<UnmatchedSummary>("unmatched_summary", { channelId });
}

export function loyaltySettingsGet(): Promise<LoyaltySettings> {
  return call<LoyaltySettings>("loyalty_settings_get");
}

/** Validates (rejecting with `invalid_input` and a sentence), saves and recomputes every member. */
export function loyaltySettingsSave(settings: LoyaltySettings): Promise<LoyaltySettings> {
  return call<LoyaltySettings>("loyalty_settings_save", { settings });
}

export function skuCategoriesList(): Promise<SkuCategory[]> {
  return call<SkuCategory[]>("sku_categories_list");
}

/** `category` null removes the SKU from the map. */
export async function skuCategorySet(sku: string, category: string | null): Promise<void> {
  await call<null>("sku_category_set", { sku, category });
}

/** A `sku,category` CSV; all or nothing. */
export function skuCategoriesImport(csv: string): Promise<ImportResult> {
  return call<ImportResult>("sku_categories_import", { csv });
}

export function loyaltyCategories(): Promise<string[]> {
  return call<string[]>("loyalty_categories");
}

export function rfmRecompute(): Promise<RfmSummary> {
  return call<RfmSummary>("rfm_recompute");
}

export function loyaltyInsights(query: InsightsQuery): Promise<Insights> {
  return call<Insights>("loyalty_insights", { query });
}
