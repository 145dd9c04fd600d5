import { Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { ConnectErrorAlert } from "./ConnectErrorAlert";
import { StepFooter } from "./StepFooter";

export type BigCommerceCredentials = { storeHash: string; accessToken: string };

/**
 * The API account's details. Only emptiness is checked here; the backend reads the hash out of an
 * API path and tests the token against the store, and its refusal is shown by the step.
 */
export function BigCommerceForm({
  connecting,
  disabled,
  error,
  onConnect,
  onBack,
  onCancel,
}: {
  connecting: boolean;
  disabled: boolean;
  /** The backend's refusal of the last try. */
  error: string | null;
  onConnect: (credentials: BigCommerceCredentials) => void;
  onBack: () => void;
  onCancel?: () => void;
}) {
  const [storeHash, setStoreHash] = useState("");
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
          label="API path or store hash"
          placeholder="https://api.bigcommerce.com/stores/abc123/v3/"
          description="The whole API path works; Counterline only needs the store hash in it."
          value={storeHash}
          onChange={(event) => {
            setStoreHash(event.currentTarget.value);
            setErrors((last) => ({ ...last, storeHash: undefined }));
          }}
          error={errors.storeHash}
          autoComplete="off"
          spellCheck={false}
          data-autofocus
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
        />
        <ConnectErrorAlert title="BigCommerce wasn't connected" message={error} />
        <StepFooter onBack={onBack} onCancel={onCancel}>
          <Button type="submit" data-testid="bc-connect" loading={connecting} disabled={disabled}>
            Connect
          </Button>
        </StepFooter>
      </Stack>
    </form>
  );
}
