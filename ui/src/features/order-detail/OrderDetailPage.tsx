// One order: who bought what, where it goes, where it came from, what has shipped, every change
// with who made it, whether the channel has it yet, and the moves it can make next.

import { Alert, Anchor, Badge, Button, Card, Group, SimpleGrid, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { IconAlertTriangle, IconArrowLeft } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useLocation, useNavigate, useParams } from "react-router";
import type { Address } from "../../bindings/Address";
import type { OrderDetail } from "../../bindings/OrderDetail";
import { errorMessage } from "../../lib/errors";
import { formatMoney } from "../../lib/money";
import { countOf, formatCount, humanizeStatus } from "../../lib/text";
import { formatDateTime } from "../../lib/time";
import { platformBadge } from "../channels/channelStatus";
import { orderStatusBadge } from "../orders/orderStatus";
import { OrderHistory } from "./OrderHistory";
import { OrderStatusActions } from "./OrderStatusActions";
import { SyncStateBadge, SyncStateNote } from "./SyncStateNote";
import { useOrderDetail } from "./useOrderDetail";

export function OrderDetailPage() {
  const { id } = useParams();
  const orderId = Number(id);
  const detail = useOrderDetail(orderId);
  const navigate = useNavigate();
  const location = useLocation();
  // Back to the list as it was filtered; an order opened directly goes to the plain list.
  const goBack = () => (location.key === "default" ? navigate("/orders") : navigate(-1));

  const back = (
    <Anchor size="sm" onClick={goBack} data-testid="order-back" style={{ display: "inline-flex", gap: 4, alignItems: "center" }}>
      <IconArrowLeft size={14} /> Orders
    </Anchor>
  );
  if (detail.isPending) {
    return (
      <Stack aria-label="Loading the order">
        {back}
        <Skeleton height={36} width={240} />
        <Skeleton height={200} />
      </Stack>
    );
  }
  if (detail.isError) {
    return (
      <Stack>
        {back}
        <Alert color="red" title="Couldn't open this order" icon={<IconAlertTriangle />}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{errorMessage(detail.error)}</Text>
            <Button size="xs" variant="white" color="red" onClick={() => void detail.refetch()}>
              Retry
            </Button>
          </Stack>
        </Alert>
      </Stack>
    );
  }
  return <OrderDetailView detail={detail.data} back={back} />;
}

function OrderDetailView({ detail, back }: { detail: OrderDetail; back: ReactNode }) {
  const { order } = detail;
  const status = orderStatusBadge(order.status);
  const money = (minor: number) => formatMoney(minor, order.currency);
  const titleOf = new Map(detail.lines.map((line) => [line.id, line.title]));

  return (
    <Stack gap="md" data-testid="order-detail" data-order-id={order.id} data-status={order.status} data-sync-state={order.syncState}>
      {back}
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2}>Order {order.number}</Title>
            <Badge color={status.color} variant="light" size="lg" data-testid="order-status">
              {status.label}
            </Badge>
            <SyncStateBadge state={order.syncState} />
          </Group>
          <Text size="sm" c="dimmed">
            Placed {formatDateTime(order.createdAt)} on{" "}
            <Badge variant="light" color={platformBadge(order.platform).color} tt="none">
              {order.channelName}
            </Badge>
          </Text>
        </Stack>
        <OrderStatusActions detail={detail} />
      </Group>
      <SyncStateNote state={order.syncState} channelName={order.channelName} />

      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Card withBorder>
          <Text fw={600} mb={4}>
            Customer
          </Text>
          <Text size="sm">{order.customerName ?? "Guest"}</Text>
          {order.email && (
            <Text size="sm" c="dimmed">
              {order.email}
            </Text>
          )}
          <Text fw={600} mt="sm" mb={4}>
            Ship to
          </Text>
          <AddressText address={detail.shippingAddress} />
        </Card>
        <Card withBorder>
          <Text fw={600} mb={4}>
            Payment and fulfillment
          </Text>
          <Text size="sm">Payment: {humanizeStatus(order.financialStatus) ?? "Not reported by the channel"}</Text>
          <FulfillmentText detail={detail} />
          <Text size="sm" mt="xs" c="dimmed">
            From {order.channelName} ({platformBadge(order.platform).label})
          </Text>
        </Card>
        <Card withBorder>
          <Text fw={600} mb={4}>
            Note
          </Text>
          <Text size="sm" c={detail.note ? undefined : "dimmed"} style={{ whiteSpace: "pre-wrap" }} data-testid="order-note">
            {detail.note ?? "No note on this order."}
          </Text>
        </Card>
      </SimpleGrid>

      <Card withBorder>
        <Text fw={600} mb="xs">
          Items
        </Text>
        <Table verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Item</Table.Th>
              <Table.Th>SKU</Table.Th>
              <Table.Th ta="right">Qty</Table.Th>
              <Table.Th ta="right">Shipped</Table.Th>
              <Table.Th ta="right">Price</Table.Th>
              <Table.Th ta="right">Total</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {detail.lines.map((line) => (
              <Table.Tr key={line.id} data-testid="order-line" data-sku={line.sku ?? ""} data-shipped={line.shippedQuantity}>
                <Table.Td>{line.title}</Table.Td>
                <Table.Td>{line.sku ?? <Text span c="dimmed">—</Text>}</Table.Td>
                <Table.Td ta="right">{formatCount(line.quantity)}</Table.Td>
                <Table.Td ta="right">
                  {formatCount(line.shippedQuantity)} of {formatCount(line.quantity)}
                </Table.Td>
                <Table.Td ta="right">{money(line.unitPriceMinor)}</Table.Td>
                <Table.Td ta="right">{money(line.unitPriceMinor * line.quantity)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Stack gap={2} mt="sm" align="flex-end">
          <Text size="sm">Subtotal {money(detail.subtotalMinor)}</Text>
          <Text size="sm">Shipping {detail.shippingMinor === null ? "not reported" : money(detail.shippingMinor)}</Text>
          <Text size="sm">Tax {money(detail.taxMinor)}</Text>
          <Text fw={700} data-testid="order-total">
            Total {money(order.totalMinor)}
          </Text>
        </Stack>
      </Card>

      <Card withBorder>
        <Text fw={600} mb="xs">
          Shipments
        </Text>
        {detail.shipments.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing shipped yet.
          </Text>
        ) : (
          <Stack gap="sm">
            {detail.shipments.map((shipment) => (
              <Group key={shipment.id} justify="space-between" align="flex-start" data-testid="order-shipment" data-sync-state={shipment.syncState}>
                <Stack gap={2}>
                  <Text size="sm" fw={500}>
                    {shipment.carrier}{" "}
                    {shipment.trackingUrl ? (
                      <Anchor href={shipment.trackingUrl} target="_blank" rel="noreferrer" inherit>
                        {shipment.trackingNumber}
                      </Anchor>
                    ) : (
                      shipment.trackingNumber
                    )}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(shipment.createdAt)}
                    {shipment.locationName ? ` from ${shipment.locationName}` : ""} ·{" "}
                    {shipment.lines.map((l) => `${l.quantity} × ${titleOf.get(l.lineId) ?? "item"}`).join(", ")}
                  </Text>
                </Stack>
                <SyncStateBadge state={shipment.syncState} />
              </Group>
            ))}
          </Stack>
        )}
      </Card>

      <OrderHistory events={detail.history} />
    </Stack>
  );
}

function AddressText({ address }: { address: Address | null }) {
  if (!address) {
    return (
      <Text size="sm" c="dimmed">
        No shipping address (pickup or digital order).
      </Text>
    );
  }
  const cityLine = [address.postalCode, address.city, address.region].filter(Boolean).join(" ");
  const lines = [address.name, address.line1, address.line2, cityLine, address.countryCode].filter(Boolean);
  return (
    <Text size="sm" data-testid="order-address" style={{ whiteSpace: "pre-line" }}>
      {lines.join("\n")}
    </Text>
  );
}

/**
 * The channel's fulfillment status arrives with the next sync after a shipment reaches it, so right
 * after shipping here it still says "Unfulfilled". What was shipped here leads; what the channel
 * last reported follows, named as such.
 */
function FulfillmentText({ detail }: { detail: OrderDetail }) {
  const reported = humanizeStatus(detail.order.fulfillmentStatus);
  const units = detail.lines.reduce((sum, line) => sum + line.quantity, 0);
  const shipped = detail.lines.reduce((sum, line) => sum + Math.min(line.shippedQuantity, line.quantity), 0);
  if (shipped === 0) return <Text size="sm">Fulfillment: {reported ?? "Not reported by the channel"}</Text>;
  return (
    <>
      <Text size="sm" data-testid="order-shipped-here">
        Fulfillment: {formatCount(shipped)} of {countOf(units, "item")} shipped
      </Text>
      {reported && (
        <Text size="xs" c="dimmed">
          {detail.order.channelName} last reported: {reported}
        </Text>
      )}
    </>
  );
}
