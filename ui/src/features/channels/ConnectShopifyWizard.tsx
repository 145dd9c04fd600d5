// The Shopify connect wizard: the merchant names the store, approves the app in the system
// browser (never in this webview, RFC 8252 §8.12), and comes back to a confirmation while the
// order history imports.

import { Alert, Button, Group, Modal, Stack, Stepper, Text, TextInput } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useEffect, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import type { ChannelView } from "../../bindings/ChannelView";
import { shopifyConnectStart } from "../../lib/backend";
import { useAppInfo } from "../shell/useAppInfo";
import { AuthorizeStep, FailedStep } from "./ConnectSteps";
import { ImportProgress } from "./ImportProgress";
import { normalizeShopDomain } from "./shopDomain";
import { useConnectAttempt, type AttemptStep } from "./useConnectAttempt";

const stepIndex: Record<AttemptStep["kind"], number> = { idle: 0, authorize: 1, done: 2, failed: 2 };

export function ConnectShopifyWizard({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const attempt = useConnectAttempt();
  const { step } = attempt;
  const [shop, setShop] = useShopField();
  const navigate = useNavigate();

  function finish() {
    onClose();
    navigate("/orders");
  }

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="Connect Shopify"
      size="lg"
      closeOnClickOutside={false}
    >
      <Stepper active={stepIndex[step.kind]} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label="Store" description="Which store">
          <StoreStep
            shop={shop}
            onShopChange={setShop}
            starting={attempt.starting}
            onStart={(domain) => attempt.start(() => shopifyConnectStart(domain))}
            onCancel={onClose}
          />
        </Stepper.Step>
        <Stepper.Step label="Authorize" description="In your browser">
          {step.kind === "authorize" && (
            <AuthorizeStep authorizeUrl={step.authorizeUrl} onCancel={onClose} />
          )}
        </Stepper.Step>
        <Stepper.Step
          label="Done"
          description="Import orders"
          color={step.kind === "failed" ? "red" : undefined}
        >
          {step.kind === "done" && <DoneStep channel={step.channel} onSave={finish} />}
          {step.kind === "failed" && (
            <FailedStep
              title="Shopify wasn't connected"
              message={step.message}
              onRetry={attempt.reset}
            />
          )}
        </Stepper.Step>
      </Stepper>
    </Modal>
  );
}

/**
 * The store field's text, kept by the wizard so "Try again" comes back to what was typed. In demo
 * mode it starts as the sandbox store; app info may still be loading when the wizard opens, so the
 * sandbox store is filled in when it arrives unless the merchant has typed something already.
 */
function useShopField(): [string, (value: string) => void] {
  const info = useAppInfo().data;
  const demoShop = info?.demoMode ? info.demoShop : null;
  const [shop, setShop] = useState(demoShop ?? "");
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (demoShop && !touched) setShop(demoShop);
  }, [demoShop, touched]);
  return [
    shop,
    (value) => {
      setTouched(true);
      setShop(value);
    },
  ];
}

function StoreStep({
  shop,
  onShopChange,
  starting,
  onStart,
  onCancel,
}: {
  shop: string;
  onShopChange: (value: string) => void;
  starting: boolean;
  onStart: (shop: string) => Promise<string | null>;
  onCancel: () => void;
}) {
  const info = useAppInfo().data;
  const [inputError, setInputError] = useState<string | null>(null);
  const [startError, setStartError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const check = normalizeShopDomain(shop);
    if (!check.ok) {
      setInputError(check.message);
      return;
    }
    onShopChange(check.domain);
    setInputError(null);
    setStartError(await onStart(check.domain));
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack mt="md">
        <TextInput
          data-testid="shop-domain"
          label="Store address"
          placeholder="your-store.myshopify.com"
          description={
            info?.demoMode
              ? "Demo mode: this connects to the built-in sandbox store."
              : "Find it in Shopify admin › Settings › Domains. The store handle alone works too."
          }
          value={shop}
          onChange={(event) => {
            onShopChange(event.currentTarget.value);
            setInputError(null);
          }}
          error={inputError}
          // Mantine's modal focus trap picks the element carrying data-autofocus.
          data-autofocus
          autoComplete="off"
          spellCheck={false}
        />
        {startError && (
          <Alert
            data-testid="connect-error"
            color="red"
            title="Couldn't start the sign-in"
            icon={<IconAlertTriangle />}
          >
            {startError}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" data-testid="connect-continue" loading={starting}>
            Continue in browser
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DoneStep({ channel, onSave }: { channel: ChannelView; onSave: () => void }) {
  return (
    <Stack mt="md" data-testid="connect-done">
      <Text>
        Connected <strong>{channel.name}</strong>. Importing your order history…
      </Text>
      <ImportProgress channelId={channel.id} />
      <Text size="sm" c="dimmed">
        The import carries on in the background; you can start working with your orders now.
      </Text>
      <Group justify="flex-end">
        <Button data-testid="connect-save" onClick={onSave}>
          Save &amp; Continue
        </Button>
      </Group>
    </Stack>
  );
}
