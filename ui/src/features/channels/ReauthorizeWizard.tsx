// Re-authorize: a fresh browser sign-in for a channel's own store, shown in the connect wizard
// starting at its Authorize step. The store is already known, so the Store step is done; the
// channel, its orders and its members' history stay as they are.

import { Button, Group, Modal, Stack, Stepper, Text } from "@mantine/core";
import { useEffect, useRef } from "react";
import type { ChannelView } from "../../bindings/ChannelView";
import type { ConnectStarted } from "../../bindings/ConnectStarted";
import { channelReauthorize } from "../../lib/backend";
import { platformName } from "./connect/platforms";
import { AuthorizeStep, FailedStep } from "./ConnectSteps";
import { useConnectAttempt } from "./useConnectAttempt";

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
  const platform = platformName(channel.platform);
  const attempt = useConnectAttempt(started, { platformName: platform });
  const { step } = attempt;

  async function begin() {
    attempt.reset();
    const failure = await attempt.start(() => channelReauthorize(channel.id));
    if (failure) attempt.fail(failure);
  }

  // Opening the wizard is the merchant's request to sign in again. The ref keeps React's
  // development double-run of effects from opening the browser twice.
  const requested = useRef(started !== undefined);
  useEffect(() => {
    if (requested.current) return;
    requested.current = true;
    void begin();
  }, []); // once per wizard: a new opening mounts a new wizard

  const finished = step.kind === "done" || step.kind === "failed";

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={`Re-authorize ${channel.name}`}
      size="lg"
      closeOnClickOutside={false}
    >
      <Stepper active={finished ? 2 : 1} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label="Store" description={channel.account} />
        <Stepper.Step label="Authorize" description="In your browser">
          <Text size="sm" c="dimmed" mt="md">
            Approve Counterline for {channel.account} again. The channel keeps its orders and
            settings.
          </Text>
          <AuthorizeStep
            site={channel.platform === "woocommerce" ? "your WordPress site" : platform}
            authorizeUrl={step.kind === "authorize" ? step.authorizeUrl : null}
            onCancel={onClose}
          />
        </Stepper.Step>
        <Stepper.Step
          label="Done"
          description="Back in sync"
          color={step.kind === "failed" ? "red" : undefined}
        >
          {step.kind === "done" && (
            <Stack mt="md" data-testid="connect-done">
              <Text>
                Re-authorized <strong>{step.channel.name}</strong>. No orders were duplicated.
              </Text>
              <Group justify="flex-end">
                <Button onClick={onClose} data-autofocus>
                  Done
                </Button>
              </Group>
            </Stack>
          )}
          {step.kind === "failed" && (
            <FailedStep
              title={`${platform} wasn't re-authorized`}
              message={step.message}
              onRetry={() => void begin()}
              onCancel={onClose}
            />
          )}
        </Stepper.Step>
      </Stepper>
    </Modal>
  );
}
