// Punch cards: "N qualifying purchases earn a reward", optionally only purchases with items in
// chosen categories (from the SKU → category map below).

import { ActionIcon, Button, Card, Group, MultiSelect, NumberInput, Stack, Switch, Text, TextInput } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import type { PunchCard } from "../../bindings/PunchCard";
import { loyaltyCategories } from "../../lib/backend";
import { loyaltyKey } from "../members/loyaltyText";
import { Section, type SectionProps } from "./MoneySections";

export const categoriesKey = [...loyaltyKey, "categories"] as const;

export function PunchCardsSection({ draft, update }: SectionProps) {
  const categories = useQuery({ queryKey: categoriesKey, queryFn: loyaltyCategories });
  const setCard = (index: number, change: Partial<PunchCard>) =>
    update({ punchCards: draft.punchCards.map((card, i) => (i === index ? { ...card, ...change } : card)) });

  return (
    <Section
      title="Punch cards"
      description="Each order that counts gives one stamp; a full card issues the reward and a new card starts. A fully refunded or cancelled order takes its stamp back."
      testId="loyalty-punch-cards"
    >
      <Stack gap="sm">
        {draft.punchCards.length === 0 && <Text size="sm" c="dimmed">No punch cards.</Text>}
        {draft.punchCards.map((card, index) => (
          <Card key={card.id || `new-${index}`} withBorder padding="sm" data-testid="punch-card-row">
            <Stack gap="xs">
              <Group gap="xs" align="flex-start">
                <TextInput
                  label="Name"
                  value={card.name}
                  onChange={(event) => setCard(index, { name: event.currentTarget.value })}
                  error={card.name.trim() ? undefined : "Name the card"}
                  w={200}
                />
                <NumberInput
                  label="Stamps for a reward"
                  value={card.stampsRequired}
                  onChange={(value) => setCard(index, { stampsRequired: typeof value === "number" ? value : Number.NaN })}
                  min={2}
                  max={1000}
                  allowDecimal={false}
                  error={card.stampsRequired >= 2 ? undefined : "At least 2"}
                  w={150}
                />
                <TextInput
                  label="Reward"
                  value={card.reward}
                  onChange={(event) => setCard(index, { reward: event.currentTarget.value })}
                  error={card.reward.trim() ? undefined : "Say what the member gets"}
                  style={{ flex: 1 }}
                />
                <ActionIcon variant="subtle" color="red" mt={28} aria-label={`Remove ${card.name}`} onClick={() => update({ punchCards: draft.punchCards.filter((_, i) => i !== index) })}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
              <MultiSelect
                label="Only orders with items in these categories"
                description={
                  (categories.data ?? []).length === 0
                    ? "No categories yet: map SKUs to categories below to use this. Empty means every order counts."
                    : "Empty means every order counts."
                }
                placeholder={card.categories.length === 0 ? "Every order" : undefined}
                data={[...new Set([...(categories.data ?? []), ...card.categories])]}
                value={card.categories}
                onChange={(value) => setCard(index, { categories: value })}
                clearable
              />
              <Switch label="Active: orders give stamps" checked={card.active} onChange={(event) => setCard(index, { active: event.currentTarget.checked })} />
            </Stack>
          </Card>
        ))}
        <Group>
          <Button
            variant="light"
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => update({ punchCards: [...draft.punchCards, { id: 0, name: "", stampsRequired: 10, reward: "", categories: [], active: true }] })}
          >
            Add a punch card
          </Button>
        </Group>
      </Stack>
    </Section>
  );
}
