import type { Insights } from "../bindings/Insights";
import type { LoyaltySettings } from "../bindings/LoyaltySettings";
import type { Member } from "../bindings/Member";
import type { MemberOrder } from "../bindings/MemberOrder";
import type { MemberProfile } from "../bindings/MemberProfile";

/** The rules a new installation starts with (contract: "Defaults"). */
export function defaultLoyaltySettings(): LoyaltySettings {
  return {
    currency: "USD",
    rates: [],
    spendBase: "subtotal",
    earning: { enabled: true, spendStepMinor: 1000, creditPerStepMinor: 100 },
    tiers: {
      basis: "lifetime",
      downgrade: "never",
      tiers: [
        { name: "Silver", thresholdMinor: 25_000 },
        { name: "Gold", thresholdMinor: 100_000 },
        { name: "Platinum", thresholdMinor: 250_000 },
      ],
    },
    punchCards: [
      { id: 1, name: "Purchase card", stampsRequired: 10, reward: "10% off the next order", categories: [], active: true },
    ],
  };
}

export function memberFixture(overrides: Partial<Member> = {}): Member {
  return {
    id: 1,
    email: "ada@example.com",
    name: "Ada Lovelace",
    phone: null,
    note: null,
    createdAt: Date.UTC(2024, 5, 1),
    updatedAt: Date.UTC(2024, 5, 1),
    orderCount: 3,
    spendMinor: 51_200,
    creditMinor: 5_000,
    tier: "Silver",
    segment: "loyal",
    firstOrderAt: Date.UTC(2024, 6, 2),
    lastOrderAt: Date.UTC(2025, 0, 10),
    ...overrides,
  };
}

export function profileFixture(overrides: Partial<MemberProfile> = {}): MemberProfile {
  return {
    member: memberFixture(),
    rfm: { recency: 5, frequency: 4, monetary: 3, segment: "loyal", computedAt: Date.UTC(2025, 0, 15) },
    tierHistory: [
      {
        at: Date.UTC(2024, 11, 1),
        from: null,
        to: "Silver",
        orderId: 42,
        orderNumber: "#1042",
        reason: "Order #1042 brought lifetime spend to 262.00 USD, past Silver's 250.00.",
      },
    ],
    ledger: [
      { id: 2, at: Date.UTC(2025, 0, 10), kind: "earn", amountMinor: 2000, orderId: 43, orderNumber: "#1043", reason: "Earned on order #1043", balanceMinor: 5000 },
      { id: 1, at: Date.UTC(2024, 11, 1), kind: "earn", amountMinor: 3000, orderId: 42, orderNumber: "#1042", reason: "Earned on order #1042", balanceMinor: 3000 },
    ],
    punchCards: [
      { cardId: 1, name: "Purchase card", reward: "10% off the next order", stampsRequired: 10, stamps: 3, totalStamps: 3, rewards: [] },
    ],
    currency: "USD",
    ordersOtherCurrency: 0,
    ...overrides,
  };
}

export function memberOrderFixture(overrides: Partial<MemberOrder> = {}): MemberOrder {
  return {
    orderId: 43,
    channelId: 1,
    channelName: "Harbour Goods",
    platform: "shopify",
    number: "#1043",
    createdAt: Date.UTC(2025, 0, 10),
    status: "processing",
    currency: "USD",
    totalMinor: 21_000,
    refundedMinor: 0,
    spendMinor: 20_000,
    counted: true,
    earnedMinor: 2000,
    stamped: true,
    ...overrides,
  };
}

/** What the backend answers for a range nobody ordered in. */
export function emptyInsights(from: number, to: number): Insights {
  const names = ["Repeat purchase rate", "Spend per member", "Lifetime value", "Members by segment", "Members by tier"];
  return {
    from,
    to,
    bucket: "day",
    currency: "USD",
    repeatPurchaseRate: [],
    spendPerMember: [],
    lifetimeValue: [],
    membersBySegment: [],
    membersByTier: [],
    definitions: names.map((title) => ({ title, text: `${title} definition.` })),
  };
}
