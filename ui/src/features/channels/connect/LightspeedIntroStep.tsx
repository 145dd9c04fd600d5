// What a Lightspeed sign-in will ask of the merchant, before the browser opens. There is nothing
// to type: the store is chosen on Lightspeed's own page.

import { Alert, Button, List, Stack, Text } from "@mantine/core";
import { IconExternalLink, IconFlask } from "@tabler/icons-react";
import { useAppInfo } from "../../shell/useAppInfo";
import type { LightspeedPlatform } from "./platforms";
import { StepFooter } from "./StepFooter";

/** What each line's consent page asks for, as our adapters request it (their `SCOPES`). */
const requestedAccess: Record<LightspeedPlatform, string> = {
  xseries: "read your sales, customers and products",
  // R-Series has no read-only scope; the consent page shows employee access.
  rseries: "use your account as an employee (Counterline only reads sales, customers and items)",
  kseries: "read your financial data (closed sales)",
  oseries: "read your orders and customers",
};

export function LightspeedIntroStep({
  platform,
  platformName,
  starting,
  onContinue,
  onBack,
  onCancel,
}: {
  platform: LightspeedPlatform;
  /** "Lightspeed X-Series". */
  platformName: string;
  starting: boolean;
  onContinue: () => void;
  onBack: () => void;
  onCancel?: () => void;
}) {
  const demoMode = useAppInfo().data?.demoMode ?? false;
  return (
    <Stack data-testid="lightspeed-intro">
      <Text size="sm" fw={500}>
        Here is what happens next:
      </Text>
      <List type="ordered" size="sm" spacing={4}>
        <List.Item>Counterline opens the {platformName} sign-in page in your browser.</List.Item>
        <List.Item>Sign in to Lightspeed and choose your store.</List.Item>
        <List.Item>Approve Counterline's request to {requestedAccess[platform]}.</List.Item>
        <List.Item>Come back here. This window carries on by itself and imports your sales.</List.Item>
      </List>
      {demoMode && (
        <Alert color="grape" variant="light" icon={<IconFlask />} title="Demo mode">
          The sign-in page is Counterline's built-in sandbox, not Lightspeed's. No account or
          password needed.
        </Alert>
      )}
      <StepFooter onBack={onBack} onCancel={onCancel}>
        <Button
          data-testid="lightspeed-continue"
          rightSection={<IconExternalLink size={16} />}
          loading={starting}
          onClick={onContinue}
          data-autofocus
        >
          Continue to Lightspeed
        </Button>
      </StepFooter>
    </Stack>
  );
}
