import type { ChannelStatus } from "../../bindings/ChannelStatus";
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
};

export function platformBadge(platform: Platform): BadgeLook {
  return platformLooks[platform] ?? { label: platform, color: "gray" };
}
