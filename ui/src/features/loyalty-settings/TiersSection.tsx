// Tiers: named spend thresholds, lowest first, on lifetime or rolling-12-month spend, and whether
// a member can drop back down.

import { ActionIcon, Button, Group, Radio, Stack, Text, TextInput } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from "@tabler/icons-react";
import type { Tier } from "../../bindings/Tier";
import type { TierBasis } from "../../bindings/TierBasis";
import type { TierDowngrade } from "../../bindings/TierDowngrade";
import { AmountInput } from "./AmountInput";
import { Section, type SectionProps } from "./MoneySections";

export function TiersSection({ draft, update }: SectionProps) {
  const rules = draft.tiers;
  const currency = draft.currency.trim().toUpperCase();
  const setTiers = (tiers: Tier[]) => update({ tiers: { ...rules, tiers } });
  const move = (index: number, step: -1 | 1) => {
    const tiers = [...rules.tiers];
    const [tier] = tiers.splice(index, 1);
    tiers.splice(index + step, 0, tier!);
    setTiers(tiers);
  };
  const last = rules.tiers.at(-1)?.thresholdMinor;

  return (
    <Section
      title="Tiers"
      description="A member moves up as soon as an order takes their spend past a tier's threshold, and the member's profile says when and why."
      testId="loyalty-tiers"
    >
      <Stack gap="md">
        <Radio.Group label="Spend that counts for a tier" value={rules.basis} onChange={(value) => update({ tiers: { ...rules, basis: value as TierBasis } })}>
          <Stack gap="xs" mt={4}>
            <Radio value="lifetime" label="Lifetime" description="Everything the member ever spent." />
            <Radio value="rolling12Months" label="The last 12 months" description="Spend in the 12 months before each order." />
          </Stack>
        </Radio.Group>
        <Radio.Group label="Can a member lose a tier?" value={rules.downgrade} onChange={(value) => update({ tiers: { ...rules, downgrade: value as TierDowngrade } })}>
          <Stack gap="xs" mt={4}>
            <Radio value="never" label="No, once reached a tier is kept" description="Only a refund that takes spend back below the threshold undoes it." />
            <Radio
              value="whenSpendFalls"
              label="Yes, when spend falls below the threshold"
              description={
                rules.basis === "rolling12Months"
                  ? "As old orders drop out of the last 12 months, the member moves down."
                  : "With lifetime spend this only happens after refunds, as spend never ages out."
              }
            />
          </Stack>
        </Radio.Group>

        <Stack gap="xs">
          <Text size="sm" fw={500}>Tiers, lowest first</Text>
          {rules.tiers.length === 0 && <Text size="sm" c="dimmed">No tiers: members have no tier.</Text>}
          {rules.tiers.map((tier, index) => {
            const before = index > 0 ? rules.tiers[index - 1]!.thresholdMinor : 0;
            const low = Number.isFinite(tier.thresholdMinor) && tier.thresholdMinor <= before;
            return (
              <Group key={index} gap="xs" align="flex-start" data-testid="tier-row">
                <TextInput
                  aria-label="Tier name"
                  placeholder="Gold"
                  value={tier.name}
                  onChange={(event) => setTiers(rules.tiers.map((t, i) => (i === index ? { ...t, name: event.currentTarget.value } : t)))}
                  error={tier.name.trim() === "" ? "Name the tier" : undefined}
                  w={200}
                />
                <Text size="sm" mt={8}>from</Text>
                <AmountInput
                  aria-label="Threshold"
                  currency={currency}
                  minor={tier.thresholdMinor}
                  onMinorChange={(minor) => setTiers(rules.tiers.map((t, i) => (i === index ? { ...t, thresholdMinor: minor } : t)))}
                  error={low ? (index === 0 ? "Must be more than zero" : "Must be more than the tier above") : undefined}
                  w={160}
                />
                <ActionIcon variant="subtle" mt={4} aria-label={`Move ${tier.name} up`} disabled={index === 0} onClick={() => move(index, -1)}>
                  <IconArrowUp size={16} />
                </ActionIcon>
                <ActionIcon variant="subtle" mt={4} aria-label={`Move ${tier.name} down`} disabled={index === rules.tiers.length - 1} onClick={() => move(index, 1)}>
                  <IconArrowDown size={16} />
                </ActionIcon>
                <ActionIcon variant="subtle" color="red" mt={4} aria-label={`Remove ${tier.name}`} onClick={() => setTiers(rules.tiers.filter((_, i) => i !== index))}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            );
          })}
          <Group>
            <Button
              variant="light"
              size="xs"
              leftSection={<IconPlus size={14} />}
              onClick={() => setTiers([...rules.tiers, { name: "", thresholdMinor: Number.isFinite(last) && last !== undefined ? last * 2 : 25_000 }])}
              data-testid="tier-add"
            >
              Add a tier
            </Button>
          </Group>
        </Stack>
      </Stack>
    </Section>
  );
}
