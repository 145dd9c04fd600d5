import type { OrderStatus } from "../../bindings/OrderStatus";
import type { OrderSyncState } from "../../bindings/OrderSyncState";
import type { BadgeLook } from "../channels/channelStatus";

const orderStatusLooks: Record<OrderStatus, BadgeLook> = {
  pending: { label: "Pending", color: "yellow" },
  processing: { label: "Processing", color: "blue" },
  shipped: { label: "Shipped", color: "teal" },
  delivered: { label: "Delivered", color: "green" },
  cancelled: { label: "Cancelled", color: "gray" },
  returned: { label: "Returned", color: "orange" },
};

export function orderStatusBadge(status: OrderStatus): BadgeLook {
  return orderStatusLooks[status] ?? { label: status, color: "gray" };
}

/** Whether the merchant's last change reached the order's channel, in words and colour. */
const syncStateLooks: Record<OrderSyncState, BadgeLook & { short: string }> = {
  synced: { label: "Synced", short: "Synced", color: "green" },
  waiting: { label: "Waiting to sync", short: "Waiting", color: "blue" },
  conflict: { label: "Conflict — resolve in Sync log", short: "Conflict", color: "orange" },
  failed: { label: "The channel refused the change — see Sync log", short: "Failed", color: "red" },
};

export function syncStateLook(state: OrderSyncState): BadgeLook & { short: string } {
  return syncStateLooks[state] ?? syncStateLooks.synced;
}
