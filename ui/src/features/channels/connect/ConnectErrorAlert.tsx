import { Alert } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";

/** Why a connect attempt didn't work, in the backend's plain words, right under the form. */
export function ConnectErrorAlert({ title, message }: { title: string; message: string | null }) {
  if (!message) return null;
  return (
    <Alert data-testid="connect-error" color="red" title={title} icon={<IconAlertTriangle />}>
      {message}
    </Alert>
  );
}
