// Connecting a sales channel: pick the platform, then that platform's steps, ending in the same
// Done step. The flow has no frame of its own, so the wizard shows it in a modal and onboarding
// shows it inline in its page.

import type { ComponentType } from "react";
import type { ChannelView } from "../../../bindings/ChannelView";
import { BigCommerceSteps } from "./BigCommerceSteps";
import { ConnectStepper } from "./ConnectStepper";
import { DoneStep } from "./DoneStep";
import { LightspeedSteps } from "./LightspeedSteps";
import { PlatformPicker } from "./PlatformPicker";
import type { ConnectPlatform, LightspeedPlatform } from "./platforms";
import { ShopifySteps } from "./ShopifySteps";
import type { PlatformStepsProps } from "./types";
import { StepFooter } from "./StepFooter";
import { WooCommerceSteps } from "./WooCommerceSteps";

/** The one set of Lightspeed steps, for one line. */
function lightspeed(platform: LightspeedPlatform): ComponentType<PlatformStepsProps> {
  return function LightspeedLineSteps(props: PlatformStepsProps) {
    return <LightspeedSteps platform={platform} {...props} />;
  };
}

const platformSteps: Record<ConnectPlatform, ComponentType<PlatformStepsProps>> = {
  shopify: ShopifySteps,
  bigcommerce: BigCommerceSteps,
  woocommerce: WooCommerceSteps,
  xseries: lightspeed("xseries"),
  rseries: lightspeed("rseries"),
  kseries: lightspeed("kseries"),
  oseries: lightspeed("oseries"),
};

const pickerSteps = [
  { label: "Connect", description: "Sign in or paste keys" },
  { label: "Done", description: "Import orders" },
];

export function ConnectFlow({
  platform,
  onPlatformChange,
  onCancel,
  onSave,
  onConnected,
}: {
  /** The picked platform; null shows the picker. */
  platform: ConnectPlatform | null;
  onPlatformChange: (platform: ConnectPlatform | null) => void;
  /** Closes the wizard; absent inline. */
  onCancel?: () => void;
  /** "Save & Continue" on the Done step; absent where the page has its own. */
  onSave?: () => void;
  onConnected?: (channel: ChannelView) => void;
}) {
  if (platform === null) {
    return (
      <ConnectStepper platformName={null} steps={pickerSteps} active={0}>
        <PlatformPicker onPick={onPlatformChange} />
        {onCancel && <StepFooter onCancel={onCancel} />}
      </ConnectStepper>
    );
  }

  const Steps = platformSteps[platform];
  return (
    <Steps
      // A fresh set of steps per platform, so nothing typed for one leaks into another.
      key={platform}
      onPickPlatform={() => onPlatformChange(null)}
      onCancel={onCancel}
      onConnected={(channel) => onConnected?.(channel)}
      renderDone={(channel) => (
        <DoneStep
          channel={channel}
          onSave={onSave}
          onConnectAnother={() => onPlatformChange(null)}
        />
      )}
    />
  );
}
