import { describe, expect, it } from "vitest";
import { humanizeStatus } from "./text";

describe("humanizeStatus", () => {
  it("turns platform enum names into a sentence", () => {
    expect(humanizeStatus("PARTIALLY_REFUNDED")).toBe("Partially refunded");
    expect(humanizeStatus("paid")).toBe("Paid");
    expect(humanizeStatus("partially_fulfilled")).toBe("Partially fulfilled");
  });

  it("has nothing to say for a missing status", () => {
    expect(humanizeStatus(null)).toBeNull();
    expect(humanizeStatus("  ")).toBeNull();
  });
});
