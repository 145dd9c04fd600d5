// WooCommerce: the store's address, then a WordPress sign-in in the system browser (coming back
// as a `connect-outcome`, like Shopify's) or REST API keys pasted here.

import { useState } from "react";
import type { ChannelView } from "../../../bindings/ChannelView";
import { woocommerceConnectStart } from "../../../lib/backend";
import { useAppInfo } from "../../shell/useAppInfo";
import { AuthorizeStep, FailedStep } from "../ConnectSteps";
import { useConnectAttempt, type AttemptStep } from "../useConnectAttempt";
import { ConnectStepper } from "./ConnectStepper";
import type { PlatformStepsProps } from "./types";
import { usePrefilledField } from "./usePrefilledField";
import { WooStoreStep } from "./WooStoreStep";

const activeStep: Record<AttemptStep["kind"], number> = { idle: 1, authorize: 2, done: 3, failed: 3 };

const steps = [
  { label: "Store", description: "Address and sign-in" },
  { label: "Approve", description: "In your browser" },
  { label: "Done", description: "Import orders" },
];

export function WooCommerceSteps({ onPickPlatform, onCancel, onConnected, renderDone }: PlatformStepsProps) {
  const attempt = useConnectAttempt(undefined, { platformName: "WordPress", onConnected });
  const { step } = attempt;
  const info = useAppInfo().data;
  const [site, setSite] = usePrefilledField(info?.demoMode ? info.demoWoocommerceSite : null);
  // Keys and the demo store connect without the browser.
  const [direct, setDirect] = useState<ChannelView | null>(null);

  if (direct) {
    return (
      <ConnectStepper platformName="WooCommerce" steps={steps} active={3} onPickPlatform={onPickPlatform}>
        {renderDone(direct)}
      </ConnectStepper>
    );
  }

  return (
    <ConnectStepper
      platformName="WooCommerce"
      steps={steps}
      active={activeStep[step.kind]}
      failed={step.kind === "failed"}
      onPickPlatform={onPickPlatform}
    >
      {step.kind === "idle" && (
        <WooStoreStep
          site={site}
          onSiteChange={setSite}
          starting={attempt.starting}
          onAuthorize={(siteUrl) => attempt.start(() => woocommerceConnectStart(siteUrl))}
          onConnected={(channel) => {
            setDirect(channel);
            onConnected(channel);
          }}
          onBack={onPickPlatform}
          onCancel={onCancel}
        />
      )}
      {step.kind === "authorize" && (
        <AuthorizeStep
          site="your WordPress site"
          authorizeUrl={step.authorizeUrl}
          onCancel={onCancel ?? attempt.reset}
        />
      )}
      {step.kind === "done" && renderDone(step.channel)}
      {step.kind === "failed" && (
        <FailedStep title="WooCommerce wasn't connected" message={step.message} onRetry={attempt.reset} />
      )}
    </ConnectStepper>
  );
}
