// Steps shared by the connect wizard and re-authorize: waiting for the browser, and a failure.
// Every connect path shows its failures in `connect-error`, so tests and the merchant find them in
// one place.

import { Anchor, Button, Code, CopyButton, Group, Loader, Stack, Text } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";
import { useState } from "react";
import type { ChannelView } from "../../bindings/ChannelView";
import { ConnectErrorAlert } from "./connect/ConnectErrorAlert";

/**
 * `authorizeUrl` is null while the sign-in is still being started. `site` names what opens in the
 * browser: "Shopify", "your WordPress site".
 */
export function AuthorizeStep({
  authorizeUrl,
  onCancel,
  site = "Shopify",
  waiting,
  openAgainTestId,
}: {
  authorizeUrl: string | null;
  onCancel: () => void;
  site?: string;
  /** Replaces the sentence shown once the browser is open, with an optional line under it. */
  waiting?: { text: string; detail?: string };
  openAgainTestId?: string;
}) {
  const [showUrl, setShowUrl] = useState(false);
  return (
    <Stack mt="md" data-testid="connect-waiting">
      <Group wrap="nowrap" align="flex-start">
        <Loader size="sm" mt={2} />
        <Stack gap={2}>
          <Text>
            {authorizeUrl === null
              ? `Opening ${site} in your browser…`
              : (waiting?.text ??
                `We opened ${site} in your browser. Approve the app there; this window will continue automatically.`)}
          </Text>
          {authorizeUrl !== null && waiting?.detail && (
            <Text size="sm" c="dimmed">
              {waiting.detail}
            </Text>
          )}
        </Stack>
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
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={() => setShowUrl(true)}
          data-testid={openAgainTestId}
        >
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
      <ConnectErrorAlert title={title} message={message} />
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

/** The end of a re-authorize: the same channel, working again, with nothing imported twice. */
export function ReauthorizedStep({ channel, onClose }: { channel: ChannelView; onClose: () => void }) {
  return (
    <Stack mt="md" data-testid="connect-done">
      <Text>
        Re-authorized <strong>{channel.name}</strong>. No orders were duplicated.
      </Text>
      <Group justify="flex-end">
        <Button onClick={onClose} data-autofocus>
          Done
        </Button>
      </Group>
    </Stack>
  );
}
