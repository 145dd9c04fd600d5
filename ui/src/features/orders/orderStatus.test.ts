import { describe, expect, it } from "vitest";
import type { OrderStatus } from "../../bindings/OrderStatus";
import { orderStatusBadge } from "./orderStatus";

describe("orderStatusBadge", () => {
  it("gives every step of the order workflow its own label and colour", () => {
    const expected: Record<OrderStatus, [string, string]> = {
      pending: ["Pending", "yellow"],
      processing: ["Processing", "blue"],
      shipped: ["Shipped", "teal"],
      delivered: ["Delivered", "green"],
      cancelled: ["Cancelled", "gray"],
      returned: ["Returned", "orange"],
    };
    for (const [status, [label, color]] of Object.entries(expected)) {
      expect(orderStatusBadge(status as OrderStatus), status).toEqual({ label, color });
    }
  });

  it("still shows a status the UI does not know yet instead of breaking the row", () => {
    expect(orderStatusBadge("on_hold" as OrderStatus)).toEqual({ label: "on_hold", color: "gray" });
  });
});
