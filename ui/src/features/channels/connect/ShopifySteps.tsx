// Shopify: the merchant names the store, approves the app in the system browser (never in this
// webview, RFC 8252 §8.12), and comes back to a confirmation while the order history imports.

import { shopifyConnectStart } from "../../../lib/backend";
import { useAppInfo } from "../../shell/useAppInfo";
import { AuthorizeStep, FailedStep } from "../ConnectSteps";
import { useConnectAttempt, type AttemptStep } from "../useConnectAttempt";
import { ConnectStepper } from "./ConnectStepper";
import { ShopifyStoreStep } from "./ShopifyStoreStep";
import type { PlatformStepsProps } from "./types";
import { usePrefilledField } from "./usePrefilledField";

const activeStep: Record<AttemptStep["kind"], number> = { idle: 1, authorize: 2, done: 3, failed: 3 };

const steps = [
  { label: "Store", description: "Which store" },
  { label: "Authorize", description: "In your browser" },
  { label: "Done", description: "Import orders" },
];

export function ShopifySteps({ onPickPlatform, onCancel, onConnected, renderDone }: PlatformStepsProps) {
  const attempt = useConnectAttempt(undefined, { platformName: "Shopify", onConnected });
  const { step } = attempt;
  const info = useAppInfo().data;
  // Kept here, not in the Store step, so "Try again" comes back to what was typed.
  const [shop, setShop] = usePrefilledField(info?.demoMode ? info.demoShop : null);

  return (
    <ConnectStepper
      platformName="Shopify"
      steps={steps}
      active={activeStep[step.kind]}
      failed={step.kind === "failed"}
      onPickPlatform={onPickPlatform}
    >
      {step.kind === "idle" && (
        <ShopifyStoreStep
          shop={shop}
          onShopChange={setShop}
          starting={attempt.starting}
          onStart={(domain) => attempt.start(() => shopifyConnectStart(domain))}
          onBack={onPickPlatform}
          onCancel={onCancel}
        />
      )}
      {step.kind === "authorize" && (
        <AuthorizeStep authorizeUrl={step.authorizeUrl} onCancel={onCancel ?? attempt.reset} />
      )}
      {step.kind === "done" && renderDone(step.channel)}
      {step.kind === "failed" && (
        <FailedStep title="Shopify wasn't connected" message={step.message} onRetry={attempt.reset} />
      )}
    </ConnectStepper>
  );
}
