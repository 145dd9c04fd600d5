// The money side of the rules: program currency and exchange rates, what counts as spend, and
// how credit is earned.

import { ActionIcon, Button, Card, Group, Radio, Stack, Switch, Text, TextInput, Title } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import type { LoyaltySettings } from "../../bindings/LoyaltySettings";
import type { SpendBase } from "../../bindings/SpendBase";
import { formatMoney } from "../../lib/money";
import { AmountInput } from "./AmountInput";
import { CURRENCY_CODE, parseRatePpm, rateText } from "./draft";

export type SectionProps = { draft: LoyaltySettings; update: (change: Partial<LoyaltySettings>) => void };

export function Section({ title, description, children, testId }: { title: string; description: React.ReactNode; children: React.ReactNode; testId?: string }) {
  return (
    <Card withBorder data-testid={testId}>
      <Title order={4}>{title}</Title>
      <Text size="sm" c="dimmed" mb="sm">{description}</Text>
      {children}
    </Card>
  );
}

function money(minor: number, currency: string): string {
  return CURRENCY_CODE.test(currency) && Number.isFinite(minor) ? formatMoney(minor, currency) : "—";
}

function RateInput({ ppm, onChange }: { ppm: number; onChange: (ppm: number) => void }) {
  const [text, setText] = useState(Number.isFinite(ppm) ? rateText(ppm) : "");
  return (
    <TextInput
      aria-label="Rate"
      value={text}
      w={120}
      onChange={(event) => {
        setText(event.currentTarget.value);
        onChange(parseRatePpm(event.currentTarget.value) ?? Number.NaN);
      }}
      error={text.trim() !== "" && parseRatePpm(text) === null ? "Enter a number like 1.08" : undefined}
    />
  );
}

export function CurrencySection({ draft, update }: SectionProps) {
  const currency = draft.currency.trim().toUpperCase();
  return (
    <Section
      title="Currency"
      description="Credit, spend and tier thresholds are kept in one currency. Orders in another currency count only if it has a rate here; otherwise they are listed on the member but don't count."
      testId="loyalty-currency"
    >
      <Stack gap="sm">
        <TextInput
          label="Program currency"
          value={draft.currency}
          onChange={(event) => update({ currency: event.currentTarget.value.toUpperCase() })}
          error={CURRENCY_CODE.test(currency) ? undefined : "Enter a currency code like USD."}
          w={160}
          maxLength={3}
        />
        {draft.rates.map((rate, index) => (
          <Group key={index} gap="xs" align="flex-start">
            <Text size="sm" mt={8}>1</Text>
            <TextInput
              aria-label="Currency"
              value={rate.currency}
              w={80}
              maxLength={3}
              onChange={(event) =>
                update({ rates: draft.rates.map((r, i) => (i === index ? { ...r, currency: event.currentTarget.value.toUpperCase() } : r)) })
              }
            />
            <Text size="sm" mt={8}>=</Text>
            <RateInput ppm={rate.ratePpm} onChange={(ppm) => update({ rates: draft.rates.map((r, i) => (i === index ? { ...r, ratePpm: ppm } : r)) })} />
            <Text size="sm" mt={8}>{currency}</Text>
            <ActionIcon variant="subtle" color="red" mt={4} aria-label={`Remove the ${rate.currency} rate`} onClick={() => update({ rates: draft.rates.filter((_, i) => i !== index) })}>
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={() => update({ rates: [...draft.rates, { currency: "", ratePpm: Number.NaN }] })}>
            Add an exchange rate
          </Button>
        </Group>
      </Stack>
    </Section>
  );
}

const spendBases: Array<{ value: SpendBase; label: string; description: string }> = [
  { value: "subtotal", label: "Items only", description: "What the items cost after discounts, without tax or shipping. (Default)" },
  { value: "total", label: "Everything the customer paid", description: "The order total, with tax and shipping." },
];

export function SpendBaseSection({ draft, update }: SectionProps) {
  return (
    <Section
      title="What counts as spend"
      description="Used for credit, tiers and insights. Refunds take off their share; cancelled and returned orders don't count."
      testId="loyalty-spend-base"
    >
      <Radio.Group value={draft.spendBase} onChange={(value) => update({ spendBase: value as SpendBase })}>
        <Stack gap="xs">
          {spendBases.map((base) => (
            <Radio key={base.value} value={base.value} label={base.label} description={base.description} />
          ))}
        </Stack>
      </Radio.Group>
    </Section>
  );
}

export function EarningSection({ draft, update }: SectionProps) {
  const { earning } = draft;
  const currency = draft.currency.trim().toUpperCase();
  const setEarning = (change: Partial<typeof earning>) => update({ earning: { ...earning, ...change } });
  const example = 10_500;
  const exampleEarned =
    earning.spendStepMinor > 0 && Number.isFinite(earning.creditPerStepMinor)
      ? Math.floor(example / earning.spendStepMinor) * earning.creditPerStepMinor
      : null;
  return (
    <Section
      title="Earning credit"
      description="Members earn credit on every order that counts. Whole steps only: a partial step earns nothing."
      testId="loyalty-earning"
    >
      <Stack gap="sm">
        <Switch label="Members earn credit from orders" checked={earning.enabled} onChange={(event) => setEarning({ enabled: event.currentTarget.checked })} />
        {earning.enabled && (
          <>
            <Group gap="xs" align="flex-start">
              <Text size="sm" mt={8}>Earn</Text>
              <AmountInput aria-label="Credit per step" currency={currency} minor={earning.creditPerStepMinor} onMinorChange={(minor) => setEarning({ creditPerStepMinor: minor })} w={140} />
              <Text size="sm" mt={8}>for every</Text>
              <AmountInput
                aria-label="Spend step"
                currency={currency}
                minor={earning.spendStepMinor}
                onMinorChange={(minor) => setEarning({ spendStepMinor: minor })}
                w={140}
                error={earning.spendStepMinor > 0 ? undefined : "Must be more than zero"}
              />
              <Text size="sm" mt={8}>spent</Text>
            </Group>
            {exampleEarned !== null && (
              <Text size="xs" c="dimmed">
                For example, an order of {money(example, currency)} earns {money(exampleEarned, currency)}. A refund takes back its share.
              </Text>
            )}
          </>
        )}
      </Stack>
    </Section>
  );
}
