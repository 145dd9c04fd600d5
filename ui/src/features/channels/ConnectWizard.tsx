// The connect wizard as a modal, opened from the channel list, a channel's page or the empty
// orders list. Save & Continue lands on the orders list.

import { Modal } from "@mantine/core";
import { useState } from "react";
import { useNavigate } from "react-router";
import { ConnectFlow } from "./connect/ConnectFlow";
import { platformName, type ConnectPlatform } from "./connect/platforms";

export function ConnectWizard({
  opened,
  onClose,
  initialPlatform = null,
}: {
  opened: boolean;
  onClose: () => void;
  /** Skips the picker, e.g. "Connect Shopify"; the merchant can still go back to it. */
  initialPlatform?: ConnectPlatform | null;
}) {
  const [platform, setPlatform] = useState<ConnectPlatform | null>(initialPlatform);
  const navigate = useNavigate();

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={platform ? `Connect ${platformName(platform)}` : "Connect a sales channel"}
      // Wide enough for the Platform step plus three of a platform's own on one line.
      size="xl"
      closeOnClickOutside={false}
    >
      <ConnectFlow
        platform={platform}
        onPlatformChange={setPlatform}
        onCancel={onClose}
        onSave={() => {
          onClose();
          navigate("/orders");
        }}
      />
    </Modal>
  );
}
