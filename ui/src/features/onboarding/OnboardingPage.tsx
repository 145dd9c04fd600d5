// First launch: what Counterline is, connect a sales channel, and what happens next. Shown inside
// the app shell, so the navigation stays usable; leaving through it counts as skipping.

import { Container, Stepper, Title } from "@mantine/core";
import { useState } from "react";
import { useNavigate } from "react-router";
import type { ChannelView } from "../../bindings/ChannelView";
import { AllSetStep } from "./AllSetStep";
import { ConnectChannelStep } from "./ConnectChannelStep";
import { rememberOnboarding } from "./onboardingState";
import { WelcomeStep } from "./WelcomeStep";

export function OnboardingPage() {
  const [active, setActive] = useState(0);
  const [connected, setConnected] = useState<ChannelView[]>([]);
  const navigate = useNavigate();

  function addConnected(channel: ChannelView) {
    setConnected((known) =>
      known.some((other) => other.id === channel.id) ? known : [...known, channel],
    );
  }

  return (
    <Container size="md" px={0} data-testid="onboarding-page">
      <Title order={2} mb="md">
        Set up Counterline
      </Title>
      <Stepper active={active} allowNextStepsSelect={false}>
        <Stepper.Step label="Welcome" description="What Counterline does" allowStepSelect={false}>
          <WelcomeStep onContinue={() => setActive(1)} />
        </Stepper.Step>
        <Stepper.Step label="Connect sales channel" description="Where you sell" allowStepSelect={false}>
          <ConnectChannelStep
            connected={connected}
            onConnected={addConnected}
            onSkip={() => {
              rememberOnboarding("skipped");
              navigate("/channels");
            }}
            onSave={() => setActive(2)}
          />
        </Stepper.Step>
        <Stepper.Step label="You're set" description="What happens next" allowStepSelect={false}>
          <AllSetStep
            connected={connected}
            onFinish={() => {
              rememberOnboarding("finished");
              navigate("/orders");
            }}
          />
        </Stepper.Step>
      </Stepper>
    </Container>
  );
}
