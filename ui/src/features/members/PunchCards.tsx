// Punch cards: stamps on the current card as a row of circles, and the rewards already earned.

import { Box, Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { IconGift } from "@tabler/icons-react";
import type { PunchCardProgress } from "../../bindings/PunchCardProgress";
import { countOf } from "../../lib/text";
import { formatDate } from "../../lib/time";

function Stamps({ stamps, required }: { stamps: number; required: number }) {
  return (
    <Group gap={6} aria-label={`${stamps} of ${required} stamps`}>
      {Array.from({ length: required }, (_, i) => (
        <Box
          key={i}
          w={18}
          h={18}
          style={{
            borderRadius: "50%",
            border: "2px solid var(--mantine-primary-color-filled)",
            background: i < stamps ? "var(--mantine-primary-color-filled)" : "transparent",
          }}
        />
      ))}
    </Group>
  );
}

export function PunchCards({ cards }: { cards: PunchCardProgress[] }) {
  return (
    <Card withBorder data-testid="member-punch-cards">
      <Title order={4}>Punch cards</Title>
      {cards.length === 0 ? (
        <Text size="sm" c="dimmed" mt="xs">
          No punch card is running. Add one in Settings › Loyalty.
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} mt="xs">
          {cards.map((card) => (
            <Stack key={card.cardId} gap={6} data-testid="punch-card">
              <Text fw={600} size="sm">{card.name}</Text>
              <Stamps stamps={card.stamps} required={card.stampsRequired} />
              <Text size="sm" data-testid="punch-card-stamps">
                {card.stamps} of {card.stampsRequired} stamps — {card.stampsRequired - card.stamps} more for {card.reward}.
              </Text>
              <Text size="xs" c="dimmed">
                {countOf(card.totalStamps, "stamp")} in all, {countOf(card.rewards.length, "reward")} earned.
              </Text>
              {card.rewards.map((reward) => (
                <Group key={reward.number} gap="xs">
                  <ThemeIcon size="sm" variant="light" color="green"><IconGift size={14} /></ThemeIcon>
                  <Text size="sm">
                    Reward {reward.number}: {card.reward}, from order {reward.orderNumber} on {formatDate(reward.at)}
                  </Text>
                </Group>
              ))}
            </Stack>
          ))}
        </SimpleGrid>
      )}
    </Card>
  );
}
