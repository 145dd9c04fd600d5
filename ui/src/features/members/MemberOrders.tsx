// The member's orders from every channel, newest first, with what each counted for: spend in the
// program currency, credit earned, a stamp. Paged with "Show older orders".

import { Alert, Anchor, Badge, Card, Group, Skeleton, Table, Text, Title, Tooltip } from "@mantine/core";
import { IconStar } from "@tabler/icons-react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import type { MemberOrder } from "../../bindings/MemberOrder";
import { memberOrders } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { formatMoney } from "../../lib/money";
import { formatDate } from "../../lib/time";
import { platformBadge } from "../channels/channelStatus";
import { orderStatusBadge } from "../orders/orderStatus";
import { memberKey } from "./loyaltyText";
import { ShowOlderButton } from "../shell/ShowOlderButton";

export const MEMBER_ORDERS_PAGE = 25;

function whyNotCounted(order: MemberOrder): string {
  if (order.status === "cancelled") return "Cancelled: doesn't count.";
  if (order.status === "returned") return "Returned: doesn't count.";
  if (order.refundedMinor > 0 && order.refundedMinor >= order.totalMinor) return "Fully refunded: doesn't count.";
  return `No exchange rate for ${order.currency}: doesn't count.`;
}

export function MemberOrders({ memberId, currency }: { memberId: number; currency: string }) {
  const orders = useInfiniteQuery({
    queryKey: [...memberKey(memberId), "orders"],
    queryFn: ({ pageParam }) => memberOrders(memberId, pageParam, MEMBER_ORDERS_PAGE),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const rows = orders.data?.pages.flatMap((page) => page.rows) ?? [];
  const channels = new Set(rows.map((row) => row.channelName));

  return (
    <Card withBorder data-testid="member-orders">
      <Group justify="space-between">
        <Title order={4}>Orders</Title>
        {channels.size > 1 && <Text size="sm" c="dimmed">From {channels.size} channels</Text>}
      </Group>
      {orders.isPending ? (
        <Skeleton height={120} mt="sm" />
      ) : orders.isError ? (
        <Alert color="red" mt="sm" title="Couldn't load the orders">{errorMessage(orders.error)}</Alert>
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed" mt="sm">
          No orders with this email yet. Orders from any channel with the same email appear here as they sync.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table mt="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Order</Table.Th>
                <Table.Th>Date</Table.Th>
                <Table.Th>Channel</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th ta="right">Total</Table.Th>
                <Table.Th ta="right">Counted</Table.Th>
                <Table.Th ta="right">Credit</Table.Th>
                <Table.Th>Stamp</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((order) => {
                const status = orderStatusBadge(order.status);
                return (
                  <Table.Tr key={order.orderId} data-testid="member-order" data-channel={order.channelName}>
                    <Table.Td>
                      <Anchor component={Link} to={`/orders/${order.orderId}`} size="sm">
                        {order.number}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{formatDate(order.createdAt)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={platformBadge(order.platform).color} tt="none" data-testid="member-order-channel">
                        {order.channelName}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={status.color}>{status.label}</Badge>
                    </Table.Td>
                    <Table.Td ta="right">
                      {formatMoney(order.totalMinor, order.currency)}
                      {order.refundedMinor > 0 && (
                        <Text size="xs" c="orange">−{formatMoney(order.refundedMinor, order.currency)} refunded</Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">
                      {order.counted ? (
                        formatMoney(order.spendMinor, currency)
                      ) : (
                        <Tooltip label={whyNotCounted(order)} withArrow>
                          <Text size="sm" c="dimmed">Not counted</Text>
                        </Tooltip>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">{order.earnedMinor === 0 ? "—" : formatMoney(order.earnedMinor, currency)}</Table.Td>
                    <Table.Td>
                      {order.stamped && (
                        <Tooltip label="Gave a punch card stamp" withArrow>
                          <IconStar size={16} aria-label="Stamped" data-testid="member-order-stamped" />
                        </Tooltip>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ShowOlderButton pages={orders} label="Show older orders" mt="sm" />
    </Card>
  );
}
