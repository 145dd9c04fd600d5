// WooCommerce's first step: the store's address, then one of two ways in. Signing in with
// WordPress (an Application Password approved in the browser) is recommended; REST API keys are
// the fallback for sites where that is switched off.

import { Button, Divider, Stack, Text, TextInput } from "@mantine/core";
import { IconBrandWordpress, IconChevronDown, IconChevronUp } from "@tabler/icons-react";
import { useId, useState, type FormEvent } from "react";
import type { ChannelView } from "../../../bindings/ChannelView";
import { demoConnect, woocommerceConnectKeys } from "../../../lib/backend";
import { useAppInfo } from "../../shell/useAppInfo";
import { ConnectErrorAlert } from "./ConnectErrorAlert";
import { DemoStoreCard } from "./DemoStoreCard";
import { StepFooter } from "./StepFooter";
import { useCredentialConnect } from "./useCredentialConnect";
import { WooKeysForm } from "./WooKeysForm";
import { tidySiteAddress } from "./wooSite";

export function WooStoreStep({
  site,
  onSiteChange,
  starting,
  onAuthorize,
  onConnected,
  onBack,
  onCancel,
}: {
  site: string;
  onSiteChange: (value: string) => void;
  /** The WordPress sign-in is being started. */
  starting: boolean;
  /** Starts the browser sign-in; resolves to why it could not start, or null. */
  onAuthorize: (siteUrl: string) => Promise<string | null>;
  /** Connected with keys or the demo store, without the browser. */
  onConnected: (channel: ChannelView) => void;
  onBack: () => void;
  onCancel?: () => void;
}) {
  const info = useAppInfo().data;
  const [siteError, setSiteError] = useState<string | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [showKeys, setShowKeys] = useState(false);
  const keysFormId = useId();
  const connect = useCredentialConnect<"keys" | "demo">(onConnected);
  const busy = starting || connect.pending !== null;

  /** The address to send, or null after saying what's wrong with it. */
  function checkedSite(): string | null {
    const siteUrl = tidySiteAddress(site);
    if (!siteUrl) {
      setSiteError("Enter your store's address, like https://shop.example.com.");
      return null;
    }
    onSiteChange(siteUrl);
    return siteUrl;
  }

  async function authorize(event: FormEvent) {
    event.preventDefault();
    connect.clearError();
    const siteUrl = checkedSite();
    if (siteUrl) setStartError(await onAuthorize(siteUrl));
  }

  return (
    <Stack>
      {info?.demoMode && (
        <DemoStoreCard
          testId="woo-demo"
          platformName="WooCommerce"
          store={info.demoWoocommerceSite}
          loading={connect.pending === "demo"}
          disabled={busy && connect.pending !== "demo"}
          onUse={() => {
            setStartError(null);
            void connect.run("demo", () => demoConnect("woocommerce"));
          }}
        />
      )}
      <form onSubmit={authorize} noValidate>
        <Stack gap="sm">
          <TextInput
            data-testid="woo-site"
            label="Store address"
            placeholder="https://shop.example.com"
            description="Your WordPress site's address, as it appears in the browser."
            value={site}
            onChange={(event) => {
              onSiteChange(event.currentTarget.value);
              setSiteError(null);
            }}
            error={siteError}
            autoComplete="off"
            spellCheck={false}
            data-autofocus
          />
          <Button
            type="submit"
            data-testid="woo-authorize"
            leftSection={<IconBrandWordpress size={18} />}
            loading={starting}
            disabled={busy && !starting}
          >
            Sign in with WordPress (recommended)
          </Button>
          <Text size="xs" c="dimmed">
            Opens your site's WordPress admin in your browser. Approve Counterline there and
            WordPress gives it its own application password, which you can revoke any time under
            Users › Profile.
          </Text>
        </Stack>
      </form>

      <Divider label="or" labelPosition="center" />
      <Button
        variant="subtle"
        data-testid="woo-keys-toggle"
        aria-expanded={showKeys}
        aria-controls={showKeys ? keysFormId : undefined}
        rightSection={showKeys ? <IconChevronUp size={16} /> : <IconChevronDown size={16} />}
        onClick={() => setShowKeys((shown) => !shown)}
        style={{ alignSelf: "center" }}
      >
        Use REST API keys
      </Button>
      {showKeys && (
        <WooKeysForm
          id={keysFormId}
          connecting={connect.pending === "keys"}
          disabled={busy && connect.pending !== "keys"}
          onConnect={({ consumerKey, consumerSecret }) => {
            setStartError(null);
            const siteUrl = checkedSite();
            if (!siteUrl) return;
            void connect.run("keys", () => woocommerceConnectKeys(siteUrl, consumerKey, consumerSecret));
          }}
        />
      )}

      <ConnectErrorAlert title="WooCommerce wasn't connected" message={startError ?? connect.error} />
      <StepFooter onBack={onBack} onCancel={onCancel} />
    </Stack>
  );
}
