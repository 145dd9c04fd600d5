import { Button, Group, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";

export type WooKeys = { consumerKey: string; consumerSecret: string };

/** WooCommerce REST API keys, for stores where the WordPress sign-in isn't possible. */
export function WooKeysForm({
  id,
  connecting,
  disabled,
  onConnect,
}: {
  id: string;
  connecting: boolean;
  disabled: boolean;
  /** Called with both keys filled in; the store address is the step's to check. */
  onConnect: (keys: WooKeys) => void;
}) {
  const [consumerKey, setConsumerKey] = useState("");
  const [consumerSecret, setConsumerSecret] = useState("");
  const [errors, setErrors] = useState<{ key?: string; secret?: string }>({});

  function submit(event: FormEvent) {
    event.preventDefault();
    const keys = { consumerKey: consumerKey.trim(), consumerSecret: consumerSecret.trim() };
    const found = {
      key: keys.consumerKey ? undefined : "Paste the consumer key (it starts with ck_).",
      secret: keys.consumerSecret ? undefined : "Paste the consumer secret (it starts with cs_).",
    };
    setErrors(found);
    if (found.key || found.secret) return;
    onConnect(keys);
  }

  return (
    <form onSubmit={submit} noValidate id={id}>
      <Stack gap="sm">
        <Text size="sm">
          In WordPress, go to <strong>WooCommerce › Settings › Advanced › REST API</strong>, click{" "}
          <strong>Add key</strong>, choose <strong>Read</strong> permission and generate the key.
          WooCommerce shows the secret only once.
        </Text>
        <TextInput
          data-testid="woo-key"
          label="Consumer key"
          placeholder="ck_…"
          value={consumerKey}
          onChange={(event) => {
            setConsumerKey(event.currentTarget.value);
            setErrors((last) => ({ ...last, key: undefined }));
          }}
          error={errors.key}
          autoComplete="off"
          spellCheck={false}
        />
        <PasswordInput
          data-testid="woo-secret"
          label="Consumer secret"
          placeholder="cs_…"
          description="Kept in your computer's keychain, never in Counterline's database."
          value={consumerSecret}
          onChange={(event) => {
            setConsumerSecret(event.currentTarget.value);
            setErrors((last) => ({ ...last, secret: undefined }));
          }}
          error={errors.secret}
          autoComplete="off"
          spellCheck={false}
        />
        <Group justify="flex-end">
          <Button
            type="submit"
            variant="light"
            data-testid="woo-connect-keys"
            loading={connecting}
            disabled={disabled}
          >
            Connect with keys
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
