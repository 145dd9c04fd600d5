import { Button, Stack, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useAppInfo } from "../../shell/useAppInfo";
import { normalizeShopDomain } from "../shopDomain";
import { ConnectErrorAlert } from "./ConnectErrorAlert";
import { StepFooter } from "./StepFooter";

/** Which Shopify store: the address is checked here before the browser opens. */
export function ShopifyStoreStep({
  shop,
  onShopChange,
  starting,
  onStart,
  onBack,
  onCancel,
}: {
  shop: string;
  onShopChange: (value: string) => void;
  starting: boolean;
  /** Resolves to why the sign-in could not start, or null. */
  onStart: (shop: string) => Promise<string | null>;
  onBack: () => void;
  onCancel?: () => void;
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
      <Stack>
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
        <ConnectErrorAlert title="Couldn't start the sign-in" message={startError} />
        <StepFooter onBack={onBack} onCancel={onCancel}>
          <Button type="submit" data-testid="connect-continue" loading={starting}>
            Continue in browser
          </Button>
        </StepFooter>
      </Stack>
    </form>
  );
}
