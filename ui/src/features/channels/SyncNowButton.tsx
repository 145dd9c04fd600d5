import { Button, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconRefresh } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import type { ChannelView } from "../../bindings/ChannelView";
import { channelSync } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { isSyncRunning, useSyncProgress } from "./syncProgress";

/** Starts a sync at once; a paused channel has to be turned back on first. */
export function SyncNowButton({ channel }: { channel: ChannelView }) {
  const progress = useSyncProgress(channel.id);
  const syncing = isSyncRunning(progress);
  const sync = useMutation({
    mutationFn: () => channelSync(channel.id),
    onError: (error) =>
      notifications.show({
        color: "red",
        title: `Couldn't sync ${channel.name}`,
        message: errorMessage(error),
      }),
  });
  const paused = channel.status === "paused";

  return (
    <Tooltip label="Turn Sync on to sync this channel" disabled={!paused} withArrow>
      {/* A disabled button gets no pointer events; the wrapper still shows the tooltip. */}
      <span>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconRefresh size={14} />}
          loading={sync.isPending || syncing}
          disabled={paused}
          onClick={() => sync.mutate()}
          data-testid="channel-sync-now"
        >
          Sync now
        </Button>
      </span>
    </Tooltip>
  );
}
