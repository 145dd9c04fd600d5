import { describe, expect, it } from "vitest";
import { tidySiteAddress } from "./wooSite";

describe("tidySiteAddress", () => {
  it("keeps a plain address as typed, without surrounding spaces or a trailing slash", () => {
    expect(tidySiteAddress("  https://shop.example.com/ ")).toBe("https://shop.example.com");
    expect(tidySiteAddress("shop.example.com")).toBe("shop.example.com");
  });

  it("drops the WordPress admin or login path copied from the address bar", () => {
    expect(tidySiteAddress("https://shop.example.com/wp-admin/")).toBe("https://shop.example.com");
    expect(tidySiteAddress("https://shop.example.com/wp-admin/admin.php?page=wc-settings")).toBe(
      "https://shop.example.com",
    );
    expect(tidySiteAddress("https://shop.example.com/wp-login.php")).toBe("https://shop.example.com");
  });
});
