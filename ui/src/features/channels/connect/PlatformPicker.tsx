// Step 1 of connecting: where does the merchant sell? One card per platform; the Lightspeed lines
// are listed but can't be picked yet, and say so.

import { Badge, Card, Group, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconChevronRight } from "@tabler/icons-react";
import { platformCards, type ConnectPlatform, type PlatformCard } from "./platforms";

export function PlatformPicker({ onPick }: { onPick: (platform: ConnectPlatform) => void }) {
  const available = platformCards.filter((card) => card.kind === "available");
  const comingSoon = platformCards.filter((card) => card.kind === "coming-soon");
  return (
    <Stack gap="md" data-testid="platform-picker">
      <Text size="sm">Where do you sell? Pick the platform of the store you want to connect.</Text>
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        {available.map((card, index) => (
          <AvailableCard
            key={card.id}
            card={card}
            onPick={onPick}
            // The first card takes the focus when the picker opens in a modal.
            autoFocus={index === 0}
          />
        ))}
      </SimpleGrid>
      <Stack gap={6}>
        <Text size="sm" fw={500} id="coming-soon-heading">
          Lightspeed point of sale
        </Text>
        <SimpleGrid
          cols={{ base: 1, xs: 2 }}
          spacing="xs"
          role="list"
          aria-labelledby="coming-soon-heading"
        >
          {comingSoon.map((card) => (
            <ComingSoonCard key={card.id} card={card} />
          ))}
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          Counterline can't connect Lightspeed yet. You can connect your online stores now and add
          your tills when it can.
        </Text>
      </Stack>
    </Stack>
  );
}

function AvailableCard({
  card,
  onPick,
  autoFocus,
}: {
  card: Extract<PlatformCard, { kind: "available" }>;
  onPick: (platform: ConnectPlatform) => void;
  autoFocus: boolean;
}) {
  return (
    <Card
      withBorder
      padding="sm"
      component="button"
      type="button"
      onClick={() => onPick(card.id)}
      data-testid={`pick-${card.id}`}
      data-autofocus={autoFocus || undefined}
      aria-label={`${card.name}: ${card.summary}`}
      style={{ textAlign: "start", cursor: "pointer" }}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text fw={600}>{card.name}</Text>
        <IconChevronRight size={16} aria-hidden />
      </Group>
      <Text size="sm" c="dimmed" mt={4}>
        {card.summary}
      </Text>
    </Card>
  );
}

function ComingSoonCard({ card }: { card: Extract<PlatformCard, { kind: "coming-soon" }> }) {
  return (
    <Card
      withBorder
      padding="xs"
      role="listitem"
      aria-disabled="true"
      data-testid={`pick-${card.id}`}
      data-disabled
      style={{ opacity: 0.65 }}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" fw={500}>
          {card.name}
        </Text>
        <Badge size="xs" variant="light" color="gray">
          Coming soon
        </Badge>
      </Group>
      <Text size="xs" c="dimmed">
        {card.summary}
      </Text>
    </Card>
  );
}
