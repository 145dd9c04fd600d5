// The "…" menu of a channel: its page, a fresh sign-in, and disconnecting.

import { ActionIcon, Menu } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconDots, IconKey, IconPlugConnectedX, IconSettings } from "@tabler/icons-react";
import { useNavigate } from "react-router";
import type { ChannelView } from "../../bindings/ChannelView";
import { useConnectWizard } from "./ConnectWizardContext";
import { DisconnectChannelModal } from "./DisconnectChannelModal";

export function channelPath(channelId: number): string {
  return `/channels/${channelId}`;
}

export function ChannelMenu({
  channel,
  showOpen = true,
  onDisconnected,
}: {
  channel: ChannelView;
  /** The channel's own page leaves out the item that opens it. */
  showOpen?: boolean;
  onDisconnected?: () => void;
}) {
  const navigate = useNavigate();
  const { reauthorizeChannel } = useConnectWizard();
  const [confirming, confirm] = useDisclosure(false);

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon
            variant="subtle"
            color="gray"
            data-testid="channel-menu"
            aria-label={`More actions for ${channel.name}`}
          >
            <IconDots size={18} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          {showOpen && (
            <Menu.Item
              data-testid="channel-open"
              leftSection={<IconSettings size={16} />}
              onClick={() => navigate(channelPath(channel.id))}
            >
              Settings &amp; troubleshooting
            </Menu.Item>
          )}
          <Menu.Item
            data-testid="channel-reauthorize"
            leftSection={<IconKey size={16} />}
            onClick={() => reauthorizeChannel(channel)}
          >
            Re-authorize
          </Menu.Item>
          <Menu.Divider />
          <Menu.Item
            data-testid="channel-disconnect"
            color="red"
            leftSection={<IconPlugConnectedX size={16} />}
            onClick={confirm.open}
          >
            Disconnect…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <DisconnectChannelModal
        channel={channel}
        opened={confirming}
        onClose={confirm.close}
        onDisconnected={onDisconnected}
      />
    </>
  );
}
