import { Button } from "@mantine/core";
import { IconKey } from "@tabler/icons-react";
import type { ChannelView } from "../../bindings/ChannelView";
import { useConnectWizard } from "./ConnectWizardContext";

/** The way out of Error, right where the error is shown. */
export function ReauthorizeInline({ channel }: { channel: ChannelView }) {
  const { reauthorizeChannel } = useConnectWizard();
  return (
    <Button
      data-testid="channel-reauthorize-inline"
      size="xs"
      color="red"
      leftSection={<IconKey size={14} />}
      aria-label={`Re-authorize ${channel.name}`}
      onClick={() => reauthorizeChannel(channel)}
    >
      Re-authorize
    </Button>
  );
}
