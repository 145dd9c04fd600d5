// Re-authorize: fresh access for a connected channel, without losing its orders, settings or
// members' history. Platforms with a browser sign-in wait for it; BigCommerce, which has none,
// takes a new API account token for the same store.

import { Modal } from "@mantine/core";
import type { ChannelView } from "../../bindings/ChannelView";
import type { ConnectStarted } from "../../bindings/ConnectStarted";
import { BigCommerceReauthorization } from "./BigCommerceReauthorization";
import { BrowserReauthorization } from "./BrowserReauthorization";

export function ReauthorizeWizard({
  channel,
  started,
  opened,
  onClose,
}: {
  channel: ChannelView;
  /** A sign-in already begun elsewhere; without it the wizard asks for one when it opens. */
  started?: ConnectStarted;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={`Re-authorize ${channel.name}`}
      size="lg"
      closeOnClickOutside={false}
    >
      {channel.platform === "bigcommerce" ? (
        <BigCommerceReauthorization channel={channel} onClose={onClose} />
      ) : (
        <BrowserReauthorization channel={channel} started={started} onClose={onClose} />
      )}
    </Modal>
  );
}
