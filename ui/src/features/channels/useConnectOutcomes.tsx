// App-wide handling of `connect-outcome`: a new channel shows up in the list at once, and a
// sign-in link that matches no attempt the merchant started is reported on whatever screen is
// open. Such a link may be someone trying to attach their store to this computer; the backend
// refuses it, and the merchant must see that it did.

import { Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import type { ChannelView } from "../../bindings/ChannelView";
import { onConnectOutcome } from "../../lib/backend";
import { channelsKey } from "../../lib/queryKeys";
import { useBackendEvent } from "../../lib/useBackendEvent";

export const forgedLinkSummary = "Counterline ignored a sign-in link it didn't start. Nothing was saved.";

export function useConnectOutcomes(): void {
  const queryClient = useQueryClient();

  useBackendEvent(onConnectOutcome, (outcome) => {
    const channel = outcome.channel;
    if (channel) {
      // Shown before the re-read finishes, so the import toast can already name the channel.
      // A re-authorized channel keeps its place in the list; a new one goes at the end.
      queryClient.setQueryData<ChannelView[]>(channelsKey, (channels = []) =>
        channels.some((known) => known.id === channel.id)
          ? channels.map((known) => (known.id === channel.id ? channel : known))
          : [...channels, channel],
      );
      void queryClient.invalidateQueries({ queryKey: channelsKey });
      return;
    }
    if (outcome.attemptId !== null) return;
    notifications.show({
      "data-testid": "deep-link-error",
      color: "red",
      title: "Sign-in link ignored",
      autoClose: false,
      message: (
        <>
          <Text size="sm">{forgedLinkSummary}</Text>
          {outcome.error && (
            <Text size="sm" c="dimmed">
              {outcome.error.message}
            </Text>
          )}
        </>
      ),
    });
  });
}
