// Steps shared by the connect wizard and re-authorize: waiting for the browser, and a failure.
// Every connect path shows its failures in `connect-error`, so tests and the merchant find them in
// one place.

import { Alert, Anchor, Button, Code, CopyButton, Group, Loader, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconCheck, IconCopy } from "@tabler/icons-react";
import { useState } from "react";

/**
 * `authorizeUrl` is null while the sign-in is still being started. `site` names what opens in the
 * browser: "Shopify", "your WordPress site".
 */
export function AuthorizeStep({
  authorizeUrl,
  onCancel,
  site = "Shopify",
}: {
  authorizeUrl: string | null;
  onCancel: () => void;
  site?: string;
}) {
  const [showUrl, setShowUrl] = useState(false);
  return (
    <Stack mt="md" data-testid="connect-waiting">
      <Group wrap="nowrap" align="flex-start">
        <Loader size="sm" mt={2} />
        <Text>
          {authorizeUrl === null
            ? `Opening ${site} in your browser…`
            : `We opened ${site} in your browser. Approve the app there; this window will continue automatically.`}
        </Text>
      </Group>
      {authorizeUrl === null ? null : showUrl ? (
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

export function FailedStep({
  title,
  message,
  onRetry,
  onCancel,
}: {
  title: string;
  message: string;
  onRetry: () => void;
  onCancel?: () => void;
}) {
  return (
    <Stack mt="md">
      <Alert data-testid="connect-error" color="red" title={title} icon={<IconAlertTriangle />}>
        {message}
      </Alert>
      <Group justify="flex-end">
        {onCancel && (
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
        )}
        <Button onClick={onRetry}>Try again</Button>
      </Group>
    </Stack>
  );
}
