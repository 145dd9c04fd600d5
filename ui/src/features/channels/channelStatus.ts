import type { ChannelStatus } from "../../bindings/ChannelStatus";
import type { ChannelView } from "../../bindings/ChannelView";
import type { Platform } from "../../bindings/Platform";

export type BadgeLook = { label: string; color: string };

const channelStatusLooks: Record<ChannelStatus, BadgeLook> = {
  active: { label: "Active", color: "green" },
  paused: { label: "Paused", color: "gray" },
  error: { label: "Error", color: "red" },
};

export function channelStatusBadge(status: ChannelStatus): BadgeLook {
  return channelStatusLooks[status] ?? { label: status, color: "gray" };
}

const platformLooks: Record<Platform, BadgeLook> = {
  shopify: { label: "Shopify", color: "lime" },
  bigcommerce: { label: "BigCommerce", color: "indigo" },
  woocommerce: { label: "WooCommerce", color: "violet" },
  xseries: { label: "Lightspeed X-Series", color: "orange" },
  rseries: { label: "Lightspeed R-Series", color: "pink" },
  kseries: { label: "Lightspeed K-Series", color: "cyan" },
  oseries: { label: "Lightspeed O-Series", color: "teal" },
};

export function platformBadge(platform: Platform): BadgeLook {
  return platformLooks[platform] ?? { label: platform, color: "gray" };
}

/**
 * What is wrong with a channel in Error, in the merchant's words. The backend's detail says it
 * best; without one, say what to do.
 */
export function channelProblem(channel: Pick<ChannelView, "status" | "statusDetail">): string | null {
  if (channel.status !== "error") return channel.statusDetail;
  return (
    channel.statusDetail?.trim() ||
    "Counterline can't reach this store with the access it was given. Re-authorize to fix it."
  );
}
