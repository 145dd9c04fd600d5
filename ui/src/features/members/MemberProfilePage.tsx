// One member: who they are, what they spent across every channel, their tier and how they got
// it, their credit and its ledger, punch cards, RFM segment, and every order they placed.

import { Alert, Anchor, Badge, Button, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title, Tooltip } from "@mantine/core";
import { IconAlertTriangle, IconArrowLeft, IconEdit, IconInfoCircle, IconTrash } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import type { MemberProfile } from "../../bindings/MemberProfile";
import { memberGet } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { formatMoney } from "../../lib/money";
import { countOf, formatCount } from "../../lib/text";
import { formatDate } from "../../lib/time";
import { CreditLedger } from "./CreditLedger";
import { DeleteMemberDialog } from "./DeleteMemberDialog";
import { memberKey, segmentLook } from "./loyaltyText";
import { MemberDialog } from "./MemberDialog";
import { MemberOrders } from "./MemberOrders";
import { PunchCards } from "./PunchCards";
import { TierPanel } from "./TierPanel";

export function MemberProfilePage() {
  const id = Number(useParams().id);
  const profile = useQuery({ queryKey: memberKey(id), queryFn: () => memberGet(id) });

  const back = (
    <Anchor component={Link} to="/members" size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} /> All members
      </Group>
    </Anchor>
  );

  if (profile.isPending) {
    return (
      <Stack data-testid="member-loading">
        {back}
        <Skeleton height={32} width={300} />
        <Skeleton height={120} />
        <Skeleton height={240} />
      </Stack>
    );
  }
  if (profile.isError) {
    return (
      <Stack>
        {back}
        <Alert color="red" icon={<IconAlertTriangle />} title="Couldn't open this member" data-testid="member-error">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{errorMessage(profile.error)}</Text>
            <Button size="xs" variant="white" color="red" onClick={() => void profile.refetch()}>
              Try again
            </Button>
          </Stack>
        </Alert>
      </Stack>
    );
  }
  return <Profile profile={profile.data} back={back} />;
}

function Stat({ label, value, testId, hint }: { label: string; value: string; testId: string; hint?: string }) {
  return (
    <Card withBorder padding="sm">
      <Group gap={4}>
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          {label}
        </Text>
        {hint && (
          <Tooltip label={hint} multiline w={260} withArrow>
            <IconInfoCircle size={14} aria-label={hint} />
          </Tooltip>
        )}
      </Group>
      <Text size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}

function Profile({ profile, back }: { profile: MemberProfile; back: React.ReactNode }) {
  const { member, rfm, currency } = profile;
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const segment = member.segment ? segmentLook(member.segment) : null;

  return (
    <Stack gap="md" data-testid="member-profile">
      {back}
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Group gap="sm">
            <Title order={2} data-testid="member-title">
              {member.name ?? member.email}
            </Title>
            {member.tier && (
              <Badge size="lg" variant="filled" data-testid="member-tier">
                {member.tier}
              </Badge>
            )}
            {segment && (
              <Tooltip label={segment.meaning} withArrow>
                <Badge size="lg" variant="light" color={segment.color} tt="none" data-testid="member-segment">
                  {segment.label}
                </Badge>
              </Tooltip>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {member.email}
            {member.phone ? ` · ${member.phone}` : ""} · member since {formatDate(member.createdAt)}
          </Text>
          {member.note && <Text size="sm">{member.note}</Text>}
        </Stack>
        <Group gap="xs">
          <Button variant="default" leftSection={<IconEdit size={16} />} onClick={() => setEditing(true)} data-testid="member-edit">
            Edit
          </Button>
          <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(true)} data-testid="member-delete">
            Delete
          </Button>
        </Group>
      </Group>

      <SimpleGrid cols={{ base: 2, md: 5 }}>
        <Stat
          label="Total spend"
          value={formatMoney(member.spendMinor, currency)}
          testId="member-spend"
          hint="Net of refunds; cancelled and returned orders don't count. Settings › Loyalty says whether tax and shipping count."
        />
        <Stat label="Orders" value={formatCount(member.orderCount)} testId="member-order-count" hint="Orders that count towards spend." />
        <Stat label="Credit" value={formatMoney(member.creditMinor, currency)} testId="member-credit" />
        <Stat label="First order" value={member.firstOrderAt === null ? "—" : formatDate(member.firstOrderAt)} testId="member-first-order" />
        <Stat label="Last order" value={member.lastOrderAt === null ? "—" : formatDate(member.lastOrderAt)} testId="member-last-order" />
      </SimpleGrid>

      {profile.ordersOtherCurrency > 0 && (
        <Alert color="yellow" icon={<IconInfoCircle />} data-testid="member-other-currency">
          {countOf(profile.ordersOtherCurrency, "order")} in a currency other than {currency} {profile.ordersOtherCurrency === 1 ? "doesn't" : "don't"} count
          towards spend, credit or stamps. Add an exchange rate in{" "}
          <Anchor component={Link} to="/settings/loyalty">Settings › Loyalty</Anchor> to count {profile.ordersOtherCurrency === 1 ? "it" : "them"}.
        </Alert>
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder data-testid="member-rfm">
          <Title order={4}>RFM segment</Title>
          {rfm ? (
            <Stack gap="xs" mt="xs">
              <Text size="sm">
                <b>{segmentLook(rfm.segment).label}</b>: {segmentLook(rfm.segment).meaning}
              </Text>
              <Group gap="lg">
                {[
                  ["Recency", rfm.recency, "5 = ordered most recently"],
                  ["Frequency", rfm.frequency, "5 = orders most often"],
                  ["Monetary", rfm.monetary, "5 = spends the most"],
                ].map(([label, score, hint]) => (
                  <Tooltip key={label as string} label={`${hint}, compared with your other members.`} withArrow>
                    <Stack gap={0} align="center">
                      <Text size="xl" fw={700} data-testid={`rfm-${String(label).toLowerCase()}`}>
                        {score}
                        <Text span size="sm" c="dimmed">/5</Text>
                      </Text>
                      <Text size="xs" c="dimmed">{label}</Text>
                    </Stack>
                  </Tooltip>
                ))}
              </Group>
              <Text size="xs" c="dimmed">Scored {formatDate(rfm.computedAt)} against every member with orders.</Text>
            </Stack>
          ) : (
            <Text size="sm" c="dimmed" mt="xs">
              No orders yet, so no segment. The first order that counts places this member.
            </Text>
          )}
        </Card>
        <TierPanel profile={profile} />
      </SimpleGrid>

      <PunchCards cards={profile.punchCards} />
      <CreditLedger profile={profile} />
      <MemberOrders memberId={member.id} currency={currency} />

      <MemberDialog opened={editing} onClose={() => setEditing(false)} member={member} />
      <DeleteMemberDialog opened={deleting} onClose={() => setDeleting(false)} member={member} />
    </Stack>
  );
}
