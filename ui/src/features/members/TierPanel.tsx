// The member's tier, how far the next one is (lifetime basis), and every change with its reason.

import { Card, Progress, Stack, Text, Timeline, Title } from "@mantine/core";
import { IconArrowDown, IconArrowUp } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import type { MemberProfile } from "../../bindings/MemberProfile";
import { loyaltySettingsGet } from "../../lib/backend";
import { formatMoney } from "../../lib/money";
import { formatDate } from "../../lib/time";
import { loyaltySettingsKey } from "./loyaltyText";

export function TierPanel({ profile }: { profile: MemberProfile }) {
  const settings = useQuery({ queryKey: loyaltySettingsKey, queryFn: loyaltySettingsGet }).data;
  const { member, currency, tierHistory } = profile;
  const tiers = settings?.tiers.tiers ?? [];
  const index = tiers.findIndex((tier) => tier.name === member.tier);
  const next = tiers[index + 1];
  const lifetime = settings?.tiers.basis === "lifetime";

  return (
    <Card withBorder data-testid="member-tier-panel">
      <Title order={4}>Tier</Title>
      <Stack gap="xs" mt="xs">
        <Text size="sm">
          {member.tier ? (
            <>
              <b>{member.tier}</b>
            </>
          ) : (
            "No tier yet"
          )}
          {settings && (lifetime ? ", from lifetime spend." : ", from spend in the last 12 months.")}
        </Text>
        {lifetime && next && (
          <Stack gap={4}>
            <Progress value={Math.min(100, (member.spendMinor / next.thresholdMinor) * 100)} aria-label={`Progress to ${next.name}`} />
            <Text size="xs" c="dimmed">
              {formatMoney(Math.max(0, next.thresholdMinor - member.spendMinor), currency)} more to reach {next.name} (
              {formatMoney(next.thresholdMinor, currency)}).
            </Text>
          </Stack>
        )}
        {tierHistory.length === 0 ? (
          <Text size="sm" c="dimmed">No tier changes yet.</Text>
        ) : (
          <Timeline active={tierHistory.length} bulletSize={20} lineWidth={2} data-testid="tier-history">
            {tierHistory.map((change, i) => {
              const up = change.to !== null && (change.from === null || tiers.findIndex((t) => t.name === change.to) > tiers.findIndex((t) => t.name === change.from));
              return (
                <Timeline.Item
                  key={`${change.at}-${i}`}
                  bullet={up ? <IconArrowUp size={12} /> : <IconArrowDown size={12} />}
                  title={`${change.from ?? "No tier"} → ${change.to ?? "No tier"}`}
                  data-testid="tier-change"
                >
                  <Text size="sm">{change.reason}</Text>
                  <Text size="xs" c="dimmed">{formatDate(change.at)}</Text>
                </Timeline.Item>
              );
            })}
          </Timeline>
        )}
      </Stack>
    </Card>
  );
}
