// The picker's two kinds of card: one the merchant can pick (a real button, so Tab and Enter work)
// and one that can't be picked yet and says why.

import { Badge, Card, Group, Text } from "@mantine/core";
import { IconChevronRight } from "@tabler/icons-react";
import type { ConnectPlatform } from "./platforms";
import type { ShownCard } from "./usePlatformCards";

export function PickableCard({
  card,
  onPick,
  autoFocus = false,
  compact = false,
}: {
  card: ShownCard;
  onPick: (platform: ConnectPlatform) => void;
  autoFocus?: boolean;
  /** The smaller size of the Lightspeed list. */
  compact?: boolean;
}) {
  return (
    <Card
      withBorder
      padding={compact ? "xs" : "sm"}
      component="button"
      type="button"
      onClick={() => onPick(card.id)}
      data-testid={`pick-${card.id}`}
      data-autofocus={autoFocus || undefined}
      aria-label={`${card.name}: ${card.summary}`}
      style={{ textAlign: "start", cursor: "pointer", width: "100%" }}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
        <Text fw={compact ? 500 : 600} size={compact ? "sm" : undefined}>
          {card.name}
        </Text>
        <IconChevronRight size={16} aria-hidden />
      </Group>
      <Text size={compact ? "xs" : "sm"} c="dimmed" mt={compact ? 0 : 4}>
        {card.summary}
      </Text>
    </Card>
  );
}

const closedLooks = {
  "needs-registration": {
    badge: "App registration needed",
    reason: "Counterline isn't registered with Lightspeed on this computer yet.",
  },
} as const;

/** A platform that can't be picked: greyed out, out of the tab order, with the reason in words. */
export function ClosedCard({ card }: { card: ShownCard & { state: keyof typeof closedLooks } }) {
  const look = closedLooks[card.state];
  return (
    <Card
      withBorder
      padding="xs"
      role="listitem"
      aria-disabled="true"
      data-testid={`pick-${card.id}`}
      data-state={card.state}
      data-disabled
      style={{ opacity: 0.7 }}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" fw={500}>
          {card.name}
        </Text>
        <Badge size="xs" variant="light" color="gray" style={{ flexShrink: 0 }}>
          {look.badge}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed">
        {card.summary}
        {` ${look.reason}`}
      </Text>
    </Card>
  );
}
