// The moves this order can make next, as the backend's workflow allows them for its channel.
// Shipped goes through the Ship dialog (carrier and tracking); every other move is one click,
// except cancelling, which asks first.

import { Alert, Button, Group, Modal, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconLock } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { OrderDetail } from "../../bindings/OrderDetail";
import type { OrderStatus } from "../../bindings/OrderStatus";
import { orderSetStatus } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { ordersKey } from "../../lib/queryKeys";
import { ShipDialog } from "./ShipDialog";

const actionLabel: Record<OrderStatus, string> = {
  pending: "Back to Pending",
  processing: "Start processing",
  shipped: "Ship…",
  delivered: "Mark as delivered",
  cancelled: "Cancel order",
  returned: "Mark as returned",
};

export function OrderStatusActions({ detail }: { detail: OrderDetail }) {
  const queryClient = useQueryClient();
  const [shipping, setShipping] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const setStatus = useMutation({
    mutationFn: (status: OrderStatus) => orderSetStatus(detail.order.id, status),
    onSuccess: () => {
      setConfirmCancel(false);
      void queryClient.invalidateQueries({ queryKey: ordersKey });
    },
    onError: (error) =>
      notifications.show({ color: "red", title: `Couldn't change order ${detail.order.number}`, message: errorMessage(error) }),
  });

  if (detail.writeBlock) {
    return (
      <Alert color="gray" icon={<IconLock />} data-testid="order-write-block">
        {detail.writeBlock}
      </Alert>
    );
  }
  if (detail.nextStatuses.length === 0) return null;

  return (
    <>
      <Group gap="sm" data-testid="order-actions">
        {detail.nextStatuses.map((status) => (
          <Button
            key={status}
            data-testid={`order-to-${status}`}
            variant={status === "cancelled" ? "default" : status === "shipped" ? "filled" : "light"}
            color={status === "cancelled" ? "red" : undefined}
            loading={setStatus.isPending && setStatus.variables === status}
            onClick={() => {
              if (status === "shipped") setShipping(true);
              else if (status === "cancelled") setConfirmCancel(true);
              else setStatus.mutate(status);
            }}
          >
            {actionLabel[status] ?? status}
          </Button>
        ))}
      </Group>
      {shipping && (
        <ShipDialog
          detail={detail}
          opened={shipping}
          onClose={() => setShipping(false)}
          onShipped={(fresh) => {
            setShipping(false);
            notifications.show({
              color: "green",
              title: "Shipment saved",
              message: `It goes to ${fresh.order.channelName} now, or as soon as it can be reached.`,
            });
          }}
        />
      )}
      <Modal opened={confirmCancel} onClose={() => setConfirmCancel(false)} title={`Cancel order ${detail.order.number}?`}>
        <Text size="sm">
          The order is cancelled here and on {detail.order.channelName}. A cancelled order can't be
          reopened from Counterline.
        </Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setConfirmCancel(false)}>
            Keep the order
          </Button>
          <Button
            color="red"
            data-testid="confirm-cancel-order"
            loading={setStatus.isPending}
            onClick={() => setStatus.mutate("cancelled")}
          >
            Cancel order
          </Button>
        </Group>
      </Modal>
    </>
  );
}
