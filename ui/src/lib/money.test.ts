import { describe, expect, it } from "vitest";
import { currencyFractionDigits, formatMoney } from "./money";

describe("formatMoney", () => {
  it("shows US dollar cents as dollars with two decimals", () => {
    expect(formatMoney(123456, "USD", "en-US")).toBe("$1,234.56");
    expect(formatMoney(5, "USD", "en-US")).toBe("$0.05");
  });

  it("treats yen minor units as whole yen because JPY has no decimals", () => {
    expect(currencyFractionDigits("JPY")).toBe(0);
    expect(formatMoney(1500, "JPY", "en-US")).toBe("¥1,500");
  });

  it("keeps the minus sign on refunds and negative totals", () => {
    expect(formatMoney(-250, "USD", "en-US")).toBe("-$2.50");
  });

  it("uses three decimals for currencies with thousandths, like the Kuwaiti dinar", () => {
    expect(currencyFractionDigits("KWD")).toBe(3);
    expect(formatMoney(1234, "KWD", "en-US")).toMatch(/1\.234/);
  });

  it("formats in the order's currency, not the merchant's locale currency", () => {
    expect(formatMoney(1999, "EUR", "de-DE")).toBe("19,99\u00a0€");
  });

  it("accepts a lower-case currency code", () => {
    expect(formatMoney(1000, "usd", "en-US")).toBe("$10.00");
  });

  it("falls back to a plain amount and code for a currency it does not know", () => {
    expect(formatMoney(1000, "NOT-A-CODE", "en-US")).toBe("10.00 NOT-A-CODE");
  });
});
