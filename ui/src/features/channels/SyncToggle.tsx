// Order sync on or off for one channel. Off is "Paused": the connection and its credentials stay,
// and nothing syncs until the merchant turns it back on.

import { Switch } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation } from "@tanstack/react-query";
import type { ChannelView } from "../../bindings/ChannelView";
import { channelSetPaused } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { useChannelCache } from "./useChannelCache";

export function SyncToggle({ channel }: { channel: ChannelView }) {
  const cache = useChannelCache();
  const setPaused = useMutation({
    mutationFn: (paused: boolean) => channelSetPaused(channel.id, paused),
    onSuccess: (updated, paused) => {
      cache.replace(updated);
      notifications.show({
        color: paused ? "gray" : "green",
        title: paused ? `${channel.name} paused` : `${channel.name} syncing again`,
        message: paused
          ? "Nothing syncs until you turn Sync back on. The connection and its orders stay."
          : "New orders will come in with the next sync.",
      });
    },
    onError: (error, paused) =>
      notifications.show({
        color: "red",
        title: paused ? `Couldn't pause ${channel.name}` : `Couldn't resume ${channel.name}`,
        message: errorMessage(error),
      }),
  });

  // While the command runs, the switch already shows where it is going.
  const syncing = setPaused.isPending ? !setPaused.variables : channel.status !== "paused";

  return (
    <Switch
      data-testid="channel-sync-toggle"
      label="Sync"
      aria-label={`Sync orders from ${channel.name}`}
      checked={syncing}
      disabled={setPaused.isPending}
      onChange={(event) => setPaused.mutate(!event.currentTarget.checked)}
    />
  );
}
