// Orders that belong to no member: guests with no email, and emails no member has. They are
// listed here so nothing is silently dropped, and an email can become a member in one click.

import { Alert, Anchor, Badge, Button, EmptyState, Group, SegmentedControl, Select, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { IconArrowLeft, IconCircleCheck, IconUserPlus } from "@tabler/icons-react";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import type { UnmatchedReason } from "../../bindings/UnmatchedReason";
import { unmatchedOrders, unmatchedSummary } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { formatMoney } from "../../lib/money";
import { formatCount } from "../../lib/text";
import { formatDate } from "../../lib/time";
import { platformBadge } from "../channels/channelStatus";
import { useChannels } from "../channels/useChannels";
import { loyaltyKey } from "./loyaltyText";
import { MemberDialog } from "./MemberDialog";
import { ShowOlderButton } from "../shell/ShowOlderButton";

const ALL = "all";
const PAGE = 100;

export function UnmatchedOrdersPage() {
  const [params, setParams] = useSearchParams();
  const channelId = params.get("channel") === null ? null : Number(params.get("channel"));
  const [reason, setReason] = useState<UnmatchedReason | null>(null);
  const [newMember, setNewMember] = useState<{ email: string; name: string | null } | null>(null);
  const channels = useChannels();

  const summary = useQuery({
    queryKey: [...loyaltyKey, "unmatched-summary", channelId],
    queryFn: () => unmatchedSummary(channelId),
  });
  const orders = useInfiniteQuery({
    queryKey: [...loyaltyKey, "unmatched", channelId, reason],
    queryFn: ({ pageParam }) => unmatchedOrders({ channelId, reason, after: pageParam, limit: PAGE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const rows = orders.data?.pages.flatMap((page) => page.rows) ?? [];
  const s = summary.data;

  return (
    <Stack gap="md" data-testid="unmatched-page">
      <Anchor component={Link} to="/members" size="sm">
        <Group gap={4}><IconArrowLeft size={14} /> All members</Group>
      </Anchor>
      <Stack gap={4}>
        <Title order={2}>Unmatched orders</Title>
        <Text size="sm" c="dimmed">
          Orders that belong to no member: guest checkouts without an email, and emails that no member has.
          They still count in your orders, just not towards anyone's spend, credit or stamps.
        </Text>
      </Stack>
      {s && (
        <Text size="sm" data-testid="unmatched-summary">
          <b>{formatCount(s.noEmail)}</b> without an email · <b>{formatCount(s.noMember)}</b> with an email no member has
        </Text>
      )}
      <Group gap="sm">
        <Select
          aria-label="Channel"
          data={[{ value: ALL, label: "All channels" }, ...(channels.data ?? []).map((c) => ({ value: String(c.id), label: c.name }))]}
          value={channelId === null ? ALL : String(channelId)}
          onChange={(value) => setParams(value === null || value === ALL ? {} : { channel: value })}
          allowDeselect={false}
          w={220}
        />
        <SegmentedControl
          aria-label="Why unmatched"
          data={[
            { value: ALL, label: "All" },
            { value: "noEmail", label: "No email" },
            { value: "noMember", label: "No member with the email" },
          ]}
          value={reason ?? ALL}
          onChange={(value) => setReason(value === ALL ? null : (value as UnmatchedReason))}
        />
      </Group>

      {orders.isPending ? (
        <Skeleton height={200} />
      ) : orders.isError ? (
        <Alert color="red" title="Couldn't load the unmatched orders">{errorMessage(orders.error)}</Alert>
      ) : rows.length === 0 ? (
        <EmptyState
          mt="xl"
          variant="light"
          icon={<IconCircleCheck size={28} />}
          title="Every order is matched"
          description="Every order here belongs to a member."
          data-testid="unmatched-empty"
        />
      ) : (
        <Table.ScrollContainer minWidth={800}>
          <Table highlightOnHover data-testid="unmatched-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Order</Table.Th>
                <Table.Th>Date</Table.Th>
                <Table.Th>Channel</Table.Th>
                <Table.Th>Customer</Table.Th>
                <Table.Th ta="right">Total</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((order) => (
                <Table.Tr key={order.orderId} data-testid="unmatched-order">
                  <Table.Td>
                    <Anchor component={Link} to={`/orders/${order.orderId}`} size="sm">
                      {order.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{formatDate(order.createdAt)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={platformBadge(order.platform).color} tt="none">{order.channelName}</Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{order.customerName ?? "Guest"}</Text>
                    <Text size="xs" c="dimmed">{order.email ?? "No email"}</Text>
                  </Table.Td>
                  <Table.Td ta="right">{formatMoney(order.totalMinor, order.currency)}</Table.Td>
                  <Table.Td>
                    {order.email && (
                      <Button size="xs" variant="subtle" leftSection={<IconUserPlus size={14} />} onClick={() => setNewMember({ email: order.email!, name: order.customerName })}>
                        Make a member
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ShowOlderButton pages={orders} label="Show older orders" />
      <MemberDialog
        opened={newMember !== null}
        onClose={() => setNewMember(null)}
        member={null}
        initial={newMember ?? undefined}
      />
    </Stack>
  );
}
