import { describe, expect, it } from "vitest";
import { defaultSort, localMidnight, nextSort, orderFilterOf, orderViewParams, parseOrderView } from "./orderSearch";

describe("orderSearch", () => {
  it("round-trips a view through the URL", () => {
    const url = "channel=3&channel=5&status=processing&from=2026-11-01&to=2026-11-24&customer=ann&q=1042&sort=total&dir=desc";
    expect(orderViewParams(parseOrderView(new URLSearchParams(url))).toString()).toBe(url);
  });

  it("ignores what it can't read instead of breaking the list", () => {
    const view = parseOrderView(new URLSearchParams("channel=x&channel=-2&status=lost&from=yesterday&sort=colour&dir=up"));
    expect(view).toEqual({ channelIds: [], statuses: [], from: null, to: null, customer: "", text: "", sort: defaultSort });
    expect(orderViewParams(view).toString()).toBe("");
  });

  it("makes the date range whole days in the merchant's time zone", () => {
    const filter = orderFilterOf(parseOrderView(new URLSearchParams("from=2026-03-01&to=2026-03-31")));
    expect(filter.createdFrom).toBe(new Date(2026, 2, 1).getTime());
    // Exclusive end: midnight after the last day, so orders late on the 31st are included.
    expect(filter.createdTo).toBe(new Date(2026, 3, 1).getTime());
    expect(localMidnight("2026-12-31")).toBe(new Date(2026, 11, 31).getTime());
  });

  it("sorts a new column in its natural direction and flips the current one", () => {
    expect(nextSort(defaultSort, "customer")).toEqual({ column: "customer", direction: "asc" });
    expect(nextSort(defaultSort, "total")).toEqual({ column: "total", direction: "desc" });
    expect(nextSort(defaultSort, "createdAt")).toEqual({ column: "createdAt", direction: "asc" });
  });
});
