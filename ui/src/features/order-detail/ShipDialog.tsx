// Ship some or all of what's left of an order from one location: per-line quantities (everything
// left by default), the stock there for each SKU, carrier and tracking. The backend checks it all
// again and commits the shipment, stock, status and channel write together or not at all; its
// refusal is shown here with the form as the merchant left it.

import { Alert, Button, Group, Modal, NumberInput, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { OrderDetail } from "../../bindings/OrderDetail";
import type { OrderLineDetail } from "../../bindings/OrderLineDetail";
import type { ShipmentRequest } from "../../bindings/ShipmentRequest";
import { locationsList, orderShip, stockLevels } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { locationsKey, ordersKey, stockKey } from "../../lib/queryKeys";
import { formatCount } from "../../lib/text";
import { orderDetailKey } from "./useOrderDetail";

function remaining(line: OrderLineDetail): number {
  return Math.max(0, line.quantity - line.shippedQuantity);
}

type ShipDialogProps = {
  detail: OrderDetail;
  opened: boolean;
  onClose: () => void;
  onShipped: (detail: OrderDetail) => void;
};

export function ShipDialog({ detail, opened, onClose, onShipped }: ShipDialogProps) {
  const openLines = detail.lines.filter((line) => remaining(line) > 0);
  const locations = useQuery({ queryKey: locationsKey, queryFn: locationsList });
  const [locationId, setLocationId] = useState<string | null>(null);
  const chosenLocation = locationId ?? (locations.data?.[0] ? String(locations.data[0].id) : null);
  const [quantities, setQuantities] = useState<Record<number, number>>(() =>
    Object.fromEntries(openLines.map((line) => [line.id, remaining(line)])),
  );
  const [carrier, setCarrier] = useState("");
  const [trackingNumber, setTrackingNumber] = useState("");
  const [trackingUrl, setTrackingUrl] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [showMissing, setShowMissing] = useState(false);

  const skus = [...new Set(openLines.flatMap((line) => (line.sku ? [line.sku] : [])))];
  const stock = useQuery({
    queryKey: stockKey(Number(chosenLocation), skus),
    queryFn: () => stockLevels(Number(chosenLocation), skus),
    enabled: chosenLocation !== null && skus.length > 0,
    staleTime: 0,
  });
  const onHand = new Map(stock.data?.map((level) => [level.sku, level.onHand]));
  const locationName = locations.data?.find((l) => String(l.id) === chosenLocation)?.name ?? "this location";

  const queryClient = useQueryClient();
  const ship = useMutation({
    mutationFn: (request: ShipmentRequest) => orderShip(request),
    onSuccess: (fresh) => {
      queryClient.setQueryData(orderDetailKey(fresh.order.id), fresh);
      void queryClient.invalidateQueries({ queryKey: ordersKey });
      void queryClient.invalidateQueries({ queryKey: ["stock"] });
      onShipped(fresh);
    },
    onError: (error) => setProblem(errorMessage(error)),
  });

  const chosenLines = openLines
    .map((line) => ({ lineId: line.id, quantity: quantities[line.id] ?? 0 }))
    .filter((line) => line.quantity > 0);

  function submit(event: FormEvent) {
    event.preventDefault();
    setShowMissing(true);
    if (chosenLocation === null) return setProblem("Add a location under Settings → Locations & stock first.");
    if (chosenLines.length === 0) return setProblem("Choose at least one item to ship.");
    if (!carrier.trim() || !trackingNumber.trim()) return setProblem("Enter the carrier and the tracking number.");
    setProblem(null);
    ship.mutate({
      orderId: detail.order.id,
      locationId: Number(chosenLocation),
      lines: chosenLines,
      carrier: carrier.trim(),
      trackingNumber: trackingNumber.trim(),
      trackingUrl: trackingUrl.trim() || null,
    });
  }

  return (
    <Modal opened={opened} onClose={onClose} title={`Ship order ${detail.order.number}`} size="xl">
      <form onSubmit={submit} noValidate data-testid="ship-form">
        <Stack gap="md">
          <Select
            label="Ship from"
            data-testid="ship-location"
            data={(locations.data ?? []).map((l) => ({ value: String(l.id), label: l.name }))}
            value={chosenLocation}
            onChange={setLocationId}
            allowDeselect={false}
            placeholder={locations.isPending ? "Loading locations…" : "No locations yet"}
            error={locations.isError ? errorMessage(locations.error) : undefined}
          />
          <Table verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Item</Table.Th>
                <Table.Th ta="right">Left to ship</Table.Th>
                <Table.Th>In stock at {locationName}</Table.Th>
                <Table.Th w={120}>Ship now</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {openLines.map((line) => {
                const left = remaining(line);
                const asked = quantities[line.id] ?? 0;
                const available = line.sku ? onHand.get(line.sku) : undefined;
                const short = available !== undefined && asked > available;
                return (
                  <Table.Tr key={line.id} data-testid="ship-line" data-sku={line.sku ?? ""}>
                    <Table.Td>
                      <Text size="sm">{line.title}</Text>
                      <Text size="xs" c="dimmed">
                        {line.sku ?? "No SKU"}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{formatCount(left)}</Table.Td>
                    <Table.Td>
                      {!line.sku ? (
                        <Text size="sm" c="dimmed">
                          Not tracked
                        </Text>
                      ) : available === undefined ? (
                        <Text size="sm" c="dimmed">
                          …
                        </Text>
                      ) : (
                        <Text size="sm" c={short ? "orange" : undefined} data-testid="ship-stock">
                          {formatCount(available)}
                          {short && ` — only ${formatCount(available)} here, you're shipping ${formatCount(asked)}`}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <NumberInput
                        aria-label={`Quantity of ${line.title} to ship`}
                        data-testid="ship-quantity"
                        min={0}
                        max={left}
                        clampBehavior="strict"
                        allowDecimal={false}
                        allowNegative={false}
                        value={asked}
                        onChange={(value) =>
                          setQuantities((current) => ({
                            ...current,
                            [line.id]: Math.min(left, Math.max(0, typeof value === "number" ? value : Number(value) || 0)),
                          }))
                        }
                      />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          <Group grow align="flex-start">
            <TextInput
              label="Carrier"
              required
              data-testid="ship-carrier"
              placeholder="UPS, Royal Mail, DHL…"
              value={carrier}
              onChange={(event) => setCarrier(event.currentTarget.value)}
              error={showMissing && !carrier.trim() ? "Enter the carrier" : undefined}
            />
            <TextInput
              label="Tracking number"
              required
              data-testid="ship-tracking"
              value={trackingNumber}
              onChange={(event) => setTrackingNumber(event.currentTarget.value)}
              error={showMissing && !trackingNumber.trim() ? "Enter the tracking number" : undefined}
            />
          </Group>
          <TextInput
            label="Tracking link"
            description="Optional: the page where the customer can follow the parcel."
            data-testid="ship-tracking-url"
            placeholder="https://"
            value={trackingUrl}
            onChange={(event) => setTrackingUrl(event.currentTarget.value)}
          />
          {problem && (
            <Alert color="red" icon={<IconAlertTriangle />} data-testid="ship-error">
              {problem}
            </Alert>
          )}
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {chosenLines.length < openLines.length || chosenLines.some((l) => l.quantity < remaining(openLines.find((o) => o.id === l.lineId)!))
                ? "Partial shipment: the rest stays to ship later."
                : "Ships everything left on this order."}
            </Text>
            <Group gap="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={ship.isPending} data-testid="ship-submit">
                Ship
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
