// App-wide handling of `connect-outcome`: a new channel shows up in the list at once, and a
// sign-in link that matches no attempt the merchant started is reported on whatever screen is
// open. Such a link may be someone trying to attach their store to this computer; the backend
// refuses it, and the merchant must see that it did.

import { Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { onConnectOutcome } from "../../lib/backend";
import { useBackendEvent } from "../../lib/useBackendEvent";
import { useChannelCache } from "./useChannelCache";

export const forgedLinkSummary = "Counterline ignored a sign-in link it didn't start. Nothing was saved.";

export function useConnectOutcomes(): void {
  const { upsert } = useChannelCache();

  useBackendEvent(onConnectOutcome, (outcome) => {
    const channel = outcome.channel;
    if (channel) {
      // Shown before the re-read finishes, so the import toast can already name the channel.
      upsert(channel);
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
