// Disconnecting cannot be undone from here (the credentials are deleted), so it asks first and
// says what stays: the orders, the members' history, and the way back without duplicates.

import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import type { ChannelView } from "../../bindings/ChannelView";
import { channelDisconnect } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { formatCount } from "../../lib/text";
import { useChannelCache } from "./useChannelCache";

function ordersStay(count: number): string {
  if (count === 0) return "No orders were imported from it yet.";
  if (count === 1) return "The 1 order already imported stays, and members keep their history.";
  return `The ${formatCount(count)} orders already imported stay, and members keep their history.`;
}

export function DisconnectChannelModal({
  channel,
  opened,
  onClose,
  onDisconnected,
}: {
  channel: ChannelView;
  opened: boolean;
  onClose: () => void;
  onDisconnected?: () => void;
}) {
  const cache = useChannelCache();
  const disconnect = useMutation({
    mutationFn: () => channelDisconnect(channel.id),
    onSuccess: async () => {
      notifications.show({
        color: "green",
        title: `Disconnected ${channel.name}`,
        message: "Its orders are still in your orders list.",
      });
      onClose();
      onDisconnected?.();
      await cache.forget(channel.id);
    },
  });

  function close() {
    if (disconnect.isPending) return;
    disconnect.reset();
    onClose();
  }

  return (
    <Modal opened={opened} onClose={close} title={`Disconnect ${channel.name}?`} centered>
      <Stack data-testid="disconnect-dialog">
        <Text size="sm">
          Disconnect {channel.name}? Counterline forgets its credentials and stops syncing.{" "}
          {ordersStay(channel.orderCount)} You can connect the store again later without
          duplicates.
        </Text>
        {disconnect.isError && (
          <Alert color="red" icon={<IconAlertTriangle />} title="Couldn't disconnect">
            {errorMessage(disconnect.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} disabled={disconnect.isPending} data-autofocus>
            Cancel
          </Button>
          <Button
            color="red"
            data-testid="confirm-disconnect"
            loading={disconnect.isPending}
            onClick={() => disconnect.mutate()}
          >
            Disconnect
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
