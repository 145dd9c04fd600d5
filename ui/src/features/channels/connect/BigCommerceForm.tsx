import { Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { ConnectErrorAlert } from "./ConnectErrorAlert";
import { StepFooter } from "./StepFooter";

export type BigCommerceCredentials = { storeHash: string; accessToken: string };

/**
 * The API account's details. Only emptiness is checked here; the backend reads the hash out of an
 * API path and tests the token against the store, and its refusal is shown by the step.
 * With `fixedStoreHash` (re-authorizing a connected store) only a new token is asked for.
 */
export function BigCommerceForm({
  connecting,
  disabled,
  error,
  onConnect,
  onBack,
  onCancel,
  fixedStoreHash,
}: {
  connecting: boolean;
  disabled: boolean;
  /** The backend's refusal of the last try. */
  error: string | null;
  onConnect: (credentials: BigCommerceCredentials) => void;
  /** Back to the platform picker; absent when re-authorizing. */
  onBack?: () => void;
  onCancel?: () => void;
  /** The connected store's hash, shown read-only. */
  fixedStoreHash?: string;
}) {
  const reauthorizing = fixedStoreHash !== undefined;
  const [storeHash, setStoreHash] = useState(fixedStoreHash ?? "");
  const [accessToken, setAccessToken] = useState("");
  const [errors, setErrors] = useState<{ storeHash?: string; accessToken?: string }>({});

  function submit(event: FormEvent) {
    event.preventDefault();
    const credentials = { storeHash: storeHash.trim(), accessToken: accessToken.trim() };
    const found = {
      storeHash: credentials.storeHash
        ? undefined
        : "Paste the API path (or just the store hash) from your API account.",
      accessToken: credentials.accessToken ? undefined : "Paste the access token from your API account.",
    };
    setErrors(found);
    if (found.storeHash || found.accessToken) return;
    onConnect(credentials);
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          data-testid="bc-store-hash"
          label={reauthorizing ? "Store hash" : "API path or store hash"}
          placeholder="https://api.bigcommerce.com/stores/abc123/v3/"
          description={
            reauthorizing
              ? "The store this channel is connected to. Create the new API account in this store."
              : "The whole API path works; Counterline only needs the store hash in it."
          }
          readOnly={reauthorizing}
          value={storeHash}
          onChange={(event) => {
            setStoreHash(event.currentTarget.value);
            setErrors((last) => ({ ...last, storeHash: undefined }));
          }}
          error={errors.storeHash}
          autoComplete="off"
          spellCheck={false}
          data-autofocus={!reauthorizing || undefined}
        />
        <PasswordInput
          data-testid="bc-access-token"
          label="Access token"
          description="Kept in your computer's keychain, never in Counterline's database."
          value={accessToken}
          onChange={(event) => {
            setAccessToken(event.currentTarget.value);
            setErrors((last) => ({ ...last, accessToken: undefined }));
          }}
          error={errors.accessToken}
          autoComplete="off"
          spellCheck={false}
          data-autofocus={reauthorizing || undefined}
        />
        <ConnectErrorAlert
          title={reauthorizing ? "BigCommerce wasn't re-authorized" : "BigCommerce wasn't connected"}
          message={error}
        />
        <StepFooter onBack={onBack} onCancel={onCancel}>
          <Button type="submit" data-testid="bc-connect" loading={connecting} disabled={disabled}>
            {reauthorizing ? "Re-authorize" : "Connect"}
          </Button>
        </StepFooter>
      </Stack>
    </form>
  );
}
