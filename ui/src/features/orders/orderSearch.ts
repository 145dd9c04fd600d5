// The orders list's filters and sort live in the URL's search params, so Back and Forward step
// through what the merchant looked at and a view can be reopened as it was. This module owns the
// mapping between those params and the backend's `OrderFilter` / `OrderSort`.

import type { OrderFilter } from "../../bindings/OrderFilter";
import type { OrderSort } from "../../bindings/OrderSort";
import type { OrderSortColumn } from "../../bindings/OrderSortColumn";
import type { OrderStatus } from "../../bindings/OrderStatus";

/** What the list shows, as the URL says it. Dates are the merchant's calendar days, `YYYY-MM-DD`. */
export type OrderView = {
  channelIds: number[];
  statuses: OrderStatus[];
  from: string | null;
  to: string | null;
  customer: string;
  text: string;
  sort: OrderSort;
};

export const orderStatuses: OrderStatus[] = ["pending", "processing", "shipped", "delivered", "cancelled", "returned"];

const sortColumns: OrderSortColumn[] = [
  "number",
  "createdAt",
  "customer",
  "channel",
  "status",
  "paymentStatus",
  "fulfillmentStatus",
  "total",
];

/** Newest first: what a merchant opening the list wants to see. */
export const defaultSort: OrderSort = { column: "createdAt", direction: "desc" };

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

function day(value: string | null): string | null {
  return value && dayPattern.test(value) && !Number.isNaN(localMidnight(value)) ? value : null;
}

/** Reads the view from the URL; anything malformed is ignored rather than breaking the page. */
export function parseOrderView(params: URLSearchParams): OrderView {
  const column = params.get("sort") as OrderSortColumn | null;
  const direction = params.get("dir");
  return {
    channelIds: params
      .getAll("channel")
      .map(Number)
      .filter((id) => Number.isInteger(id) && id > 0),
    statuses: params.getAll("status").filter((s): s is OrderStatus => orderStatuses.includes(s as OrderStatus)),
    from: day(params.get("from")),
    to: day(params.get("to")),
    customer: params.get("customer") ?? "",
    text: params.get("q") ?? "",
    sort:
      column && sortColumns.includes(column)
        ? { column, direction: direction === "asc" ? "asc" : "desc" }
        : defaultSort,
  };
}

/** The URL params for a view; defaults are left out so a plain list has a plain URL. */
export function orderViewParams(view: OrderView): URLSearchParams {
  const params = new URLSearchParams();
  for (const id of view.channelIds) params.append("channel", String(id));
  for (const status of view.statuses) params.append("status", status);
  if (view.from) params.set("from", view.from);
  if (view.to) params.set("to", view.to);
  if (view.customer.trim()) params.set("customer", view.customer.trim());
  if (view.text.trim()) params.set("q", view.text.trim());
  if (view.sort.column !== defaultSort.column || view.sort.direction !== defaultSort.direction) {
    params.set("sort", view.sort.column);
    params.set("dir", view.sort.direction);
  }
  return params;
}

/** Midnight at the start of `YYYY-MM-DD` in the merchant's own time zone, as UTC ms. */
export function localMidnight(dayText: string): number {
  const [year, month, date] = dayText.split("-").map(Number);
  return new Date(year!, month! - 1, date!).getTime();
}

/** The day after `YYYY-MM-DD`, so "to 24 Nov" includes all of the 24th. */
function nextLocalMidnight(dayText: string): number {
  const [year, month, date] = dayText.split("-").map(Number);
  return new Date(year!, month! - 1, date! + 1).getTime();
}

export function orderFilterOf(view: OrderView): OrderFilter {
  return {
    channelIds: view.channelIds,
    statuses: view.statuses,
    createdFrom: view.from ? localMidnight(view.from) : null,
    createdTo: view.to ? nextLocalMidnight(view.to) : null,
    customer: view.customer.trim() || null,
    text: view.text.trim() || null,
  };
}

export function isFiltered(view: OrderView): boolean {
  return (
    view.channelIds.length > 0 ||
    view.statuses.length > 0 ||
    view.from !== null ||
    view.to !== null ||
    view.customer.trim() !== "" ||
    view.text.trim() !== ""
  );
}

/** Clicking a header: a new column starts in its natural direction, the same column flips. */
export function nextSort(current: OrderSort, column: OrderSortColumn): OrderSort {
  if (current.column === column) return { column, direction: current.direction === "asc" ? "desc" : "asc" };
  // Dates and money read best largest first; names and numbers from the start of the alphabet.
  const descending: OrderSortColumn[] = ["createdAt", "total", "number"];
  return { column, direction: descending.includes(column) ? "desc" : "asc" };
}

/** `Date` → `YYYY-MM-DD` in local time (what a date picker hands back). */
export function dayOf(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
