import { describe, expect, it } from "vitest";
import type { SyncProgress } from "../../bindings/SyncProgress";
import { syncOutcome } from "./syncProgress";

function finished(orders: number, newOrders: number, updatedOrders: number): SyncProgress {
  return { channelId: 1, pages: 1, orders, newOrders, updatedOrders, done: true, expectedPages: null, etaMs: null, error: null };
}

describe("what a finished sync says it brought in", () => {
  it("calls a first import an import of every order", () => {
    expect(syncOutcome(finished(1302, 1302, 0))).toBe("Imported 1,302 orders");
  });

  it("does not count orders re-read from the overlap window as imported", () => {
    expect(syncOutcome(finished(14, 0, 0))).toBe("Up to date: no new or changed orders");
    expect(syncOutcome(finished(14, 2, 0))).toBe("2 new orders");
  });

  it("names changed orders apart from new ones", () => {
    expect(syncOutcome(finished(40, 0, 1))).toBe("1 order updated");
    expect(syncOutcome(finished(40, 3, 5))).toBe("3 new orders, 5 updated");
  });
});
