import { describe, expect, it } from "vitest";
import { normalizeShopDomain } from "./shopDomain";

describe("normalizeShopDomain", () => {
  it("accepts a full myshopify.com domain as it is", () => {
    expect(normalizeShopDomain("harbour-goods.myshopify.com")).toEqual({
      ok: true,
      domain: "harbour-goods.myshopify.com",
    });
  });

  it("appends .myshopify.com to a bare store handle", () => {
    expect(normalizeShopDomain("harbour-goods")).toEqual({
      ok: true,
      domain: "harbour-goods.myshopify.com",
    });
  });

  it("trims, lower-cases and strips the scheme and path of a pasted URL", () => {
    expect(normalizeShopDomain("  https://Harbour-Goods.myshopify.com/admin/orders ")).toEqual({
      ok: true,
      domain: "harbour-goods.myshopify.com",
    });
  });

  it("reads the store handle out of a Shopify admin URL", () => {
    expect(normalizeShopDomain("https://admin.shopify.com/store/harbour-goods/orders")).toEqual({
      ok: true,
      domain: "harbour-goods.myshopify.com",
    });
  });

  it("asks for an address when the field is empty", () => {
    const check = normalizeShopDomain("   ");
    expect(check.ok).toBe(false);
  });

  it("rejects a custom domain and points to the myshopify.com address", () => {
    const check = normalizeShopDomain("harbourgoods.com");
    expect(check).toMatchObject({ ok: false });
    expect(check.ok || check.message).toMatch(/myshopify\.com/);
  });

  it("rejects handles that cannot be a Shopify store", () => {
    for (const input of ["-harbour", "harbour goods", "harbour_goods", "x.y.myshopify.com", "evil.myshopify.com.attacker.io"]) {
      expect(normalizeShopDomain(input).ok, input).toBe(false);
    }
  });
});
