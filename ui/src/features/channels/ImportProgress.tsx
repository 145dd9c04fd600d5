import { Alert, Progress, Stack, Text } from "@mantine/core";
import { countOf } from "../../lib/text";
import { useSyncProgress } from "./syncProgress";

/**
 * The backfill's progress for one channel. The backend does not know the history's size up
 * front, so the bar is indeterminate until the import finishes and the counter carries the news.
 */
export function ImportProgress({ channelId }: { channelId: number }) {
  const progress = useSyncProgress(channelId);

  if (progress?.error) {
    return (
      <Alert color="red" title="The import stopped">
        {progress.error.message}
      </Alert>
    );
  }
  const done = progress?.done ?? false;
  return (
    <Stack gap={6} data-testid="connect-import-progress">
      <Progress
        value={100}
        animated={!done}
        striped={!done}
        color={done ? "green" : undefined}
        aria-label="Order import progress"
      />
      <Text size="sm">
        {!progress
          ? "Waiting for the import to start…"
          : done
            ? `Imported ${countOf(progress.orders, "order")}.`
            : `${countOf(progress.orders, "order")} so far…`}
      </Text>
    </Stack>
  );
}
