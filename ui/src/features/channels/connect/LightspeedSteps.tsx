// Every Lightspeed line signs in the same way: the merchant approves Counterline on the line's
// consent page in the system browser, picks the store there, and the result comes back as a
// `connect-outcome` like Shopify's. Nothing is typed here, so a failed try simply starts again.

import { Box } from "@mantine/core";
import { lightspeedConnectStart } from "../../../lib/backend";
import { AuthorizeStep, FailedStep } from "../ConnectSteps";
import { useConnectAttempt, type AttemptStep } from "../useConnectAttempt";
import { ConnectStepper } from "./ConnectStepper";
import { LightspeedIntroStep } from "./LightspeedIntroStep";
import { platformName, type LightspeedPlatform } from "./platforms";
import type { PlatformStepsProps } from "./types";

const activeStep: Record<AttemptStep["kind"], number> = { idle: 1, authorize: 2, done: 3, failed: 3 };

const steps = [
  { label: "Sign in", description: "What to expect" },
  { label: "Approve", description: "In your browser" },
  { label: "Done", description: "Import sales" },
];

export function LightspeedSteps({
  platform,
  onPickPlatform,
  onCancel,
  onConnected,
  renderDone,
}: PlatformStepsProps & { platform: LightspeedPlatform }) {
  const name = platformName(platform);
  const attempt = useConnectAttempt(undefined, { platformName: name, onConnected });
  const { step } = attempt;
  const begin = () => void attempt.run(() => lightspeedConnectStart(platform));

  return (
    <ConnectStepper
      platformName={name}
      steps={steps}
      active={activeStep[step.kind]}
      failed={step.kind === "failed"}
      onPickPlatform={onPickPlatform}
    >
      {step.kind === "idle" && (
        <LightspeedIntroStep
          platform={platform}
          platformName={name}
          starting={attempt.starting}
          onContinue={begin}
          onBack={onPickPlatform}
          onCancel={onCancel}
        />
      )}
      {step.kind === "authorize" && (
        <Box data-testid="lightspeed-waiting">
          <AuthorizeStep
            site={name}
            authorizeUrl={step.authorizeUrl}
            waiting={{
              text: "Waiting for you to approve in your browser…",
              detail: `We opened ${name} in your browser. Sign in, choose your store and approve Counterline; this window carries on by itself.`,
            }}
            openAgainTestId="lightspeed-open-again"
            onCancel={onCancel ?? attempt.reset}
          />
        </Box>
      )}
      {step.kind === "done" && renderDone(step.channel)}
      {step.kind === "failed" && (
        <FailedStep title={`${name} wasn't connected`} message={step.message} onRetry={begin} />
      )}
    </ConnectStepper>
  );
}
