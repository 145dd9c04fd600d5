// The Shopify connect wizard: the merchant names the store, approves the app in the system
// browser (never in this webview, RFC 8252 §8.12), and comes back to a confirmation while the
// order history imports.

import {
  Alert,
  Anchor,
  Button,
  Code,
  CopyButton,
  Group,
  Loader,
  Modal,
  Stack,
  Stepper,
  Text,
  TextInput,
} from "@mantine/core";
import { IconAlertTriangle, IconCheck, IconCopy } from "@tabler/icons-react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import type { ChannelView } from "../../bindings/ChannelView";
import type { ConnectOutcome } from "../../bindings/ConnectOutcome";
import { onConnectOutcome, shopifyConnectStart } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { useBackendEvent } from "../../lib/useBackendEvent";
import { useAppInfo } from "../shell/useAppInfo";
import { ImportProgress } from "./ImportProgress";
import { normalizeShopDomain } from "./shopDomain";

type WizardStep =
  | { kind: "store" }
  | { kind: "authorize"; attemptId: string; authorizeUrl: string }
  | { kind: "done"; channel: ChannelView }
  | { kind: "failed"; message: string };

const stepIndex: Record<WizardStep["kind"], number> = { store: 0, authorize: 1, done: 2, failed: 2 };

export function ConnectShopifyWizard({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [step, setStep] = useState<WizardStep>({ kind: "store" });
  const [shop, setShop] = useShopField();
  const [starting, setStarting] = useState(false);
  // The browser can come back before `shopify_connect_start` has answered (an instant approval,
  // or a test playing the browser), so outcomes seen while starting are kept and checked after.
  const earlyOutcomes = useRef<ConnectOutcome[]>([]);
  const navigate = useNavigate();

  function settle(outcome: ConnectOutcome) {
    if (outcome.channel) {
      setStep({ kind: "done", channel: outcome.channel });
    } else {
      setStep({
        kind: "failed",
        message: outcome.error?.message ?? "Shopify did not finish the sign-in. Please try again.",
      });
    }
  }

  useBackendEvent(onConnectOutcome, (outcome) => {
    // A link no attempt started is reported app-wide (see useConnectOutcomes), not here.
    if (outcome.attemptId === null) return;
    if (step.kind === "authorize" && outcome.attemptId === step.attemptId) settle(outcome);
    else if (starting) earlyOutcomes.current.push(outcome);
  });

  async function start(shop: string) {
    earlyOutcomes.current = [];
    setStarting(true);
    try {
      const started = await shopifyConnectStart(shop);
      const early = earlyOutcomes.current.find((o) => o.attemptId === started.attemptId);
      if (early) settle(early);
      else setStep({ kind: "authorize", ...started });
      return null;
    } catch (error) {
      return errorMessage(error);
    } finally {
      setStarting(false);
    }
  }

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
            starting={starting}
            onStart={start}
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
            <FailedStep message={step.message} onRetry={() => setStep({ kind: "store" })} />
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

function AuthorizeStep({ authorizeUrl, onCancel }: { authorizeUrl: string; onCancel: () => void }) {
  const [showUrl, setShowUrl] = useState(false);
  return (
    <Stack mt="md" data-testid="connect-waiting">
      <Group wrap="nowrap" align="flex-start">
        <Loader size="sm" mt={2} />
        <Text>
          We opened Shopify in your browser. Approve the app there; this window will continue
          automatically.
        </Text>
      </Group>
      {showUrl ? (
        <Stack gap={4}>
          <Text size="sm" c="dimmed">
            Copy this address into your browser:
          </Text>
          <Group wrap="nowrap" gap="xs" align="flex-start">
            <Code block style={{ flex: 1, wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
              {authorizeUrl}
            </Code>
            <CopyButton value={authorizeUrl}>
              {({ copied, copy }) => (
                <Button
                  size="xs"
                  variant="light"
                  color={copied ? "teal" : undefined}
                  leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                  onClick={copy}
                >
                  {copied ? "Copied" : "Copy"}
                </Button>
              )}
            </CopyButton>
          </Group>
        </Stack>
      ) : (
        <Anchor component="button" type="button" size="sm" onClick={() => setShowUrl(true)}>
          Open the page again
        </Anchor>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
      </Group>
    </Stack>
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

function FailedStep({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <Stack mt="md">
      <Alert
        data-testid="connect-error"
        color="red"
        title="Shopify wasn't connected"
        icon={<IconAlertTriangle />}
      >
        {message}
      </Alert>
      <Group justify="flex-end">
        <Button onClick={onRetry}>Try again</Button>
      </Group>
    </Stack>
  );
}
