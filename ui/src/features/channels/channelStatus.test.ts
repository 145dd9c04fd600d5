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
    expect(platformBadge("xseries").label).toBe("Lightspeed X-Series");
    expect(platformBadge("rseries").label).toBe("Lightspeed R-Series");
    expect(platformBadge("kseries").label).toBe("Lightspeed K-Series");
    expect(platformBadge("oseries").label).toBe("Lightspeed O-Series");
  });

  it("gives each platform its own colour so a mixed channel list reads at a glance", () => {
    const platforms = ["shopify", "bigcommerce", "woocommerce", "xseries", "rseries", "kseries", "oseries"] as const;
    const colors = platforms.map((platform) => platformBadge(platform).color);
    expect(new Set(colors).size, "no two platforms share a badge colour").toBe(platforms.length);
    // Red, green and grey already mean Error, Active and Paused on the status badge beside it.
    expect(colors.filter((color) => ["red", "green", "gray"].includes(color))).toEqual([]);
  });
});
