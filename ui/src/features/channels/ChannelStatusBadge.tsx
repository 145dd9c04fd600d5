import { Badge } from "@mantine/core";
import type { ChannelStatus } from "../../bindings/ChannelStatus";
import type { Platform } from "../../bindings/Platform";
import { channelStatusBadge, platformBadge } from "./channelStatus";

export function ChannelStatusBadge({ status }: { status: ChannelStatus }) {
  const look = channelStatusBadge(status);
  return (
    <Badge color={look.color} variant="light">
      {look.label}
    </Badge>
  );
}

export function PlatformBadge({ platform, label }: { platform: Platform; label?: string }) {
  const look = platformBadge(platform);
  return (
    <Badge color={look.color} variant="outline" tt="none" maw="100%">
      {label ?? look.label}
    </Badge>
  );
}
