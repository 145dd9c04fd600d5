import type { OrderStatus } from "../../bindings/OrderStatus";
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
