import { describe, expect, it } from "vitest";
import { channelStatusBadge, platformBadge } from "./channelStatus";

describe("channelStatusBadge", () => {
  it("shows active channels in green, paused in grey and failing in red", () => {
    expect(channelStatusBadge("active")).toEqual({ label: "Active", color: "green" });
    expect(channelStatusBadge("paused")).toEqual({ label: "Paused", color: "gray" });
    expect(channelStatusBadge("error")).toEqual({ label: "Error", color: "red" });
  });
});

describe("platformBadge", () => {
  it("names every platform the backend can send", () => {
    expect(platformBadge("shopify").label).toBe("Shopify");
    expect(platformBadge("bigcommerce").label).toBe("BigCommerce");
    expect(platformBadge("woocommerce").label).toBe("WooCommerce");
  });
});
