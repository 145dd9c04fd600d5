import { Button, Group } from "@mantine/core";
import { IconArrowLeft } from "@tabler/icons-react";
import type { ReactNode } from "react";

/** A step's buttons: "Back" to the picker on the left; Cancel and the step's own on the right. */
export function StepFooter({
  onBack,
  onCancel,
  children,
}: {
  onBack?: () => void;
  onCancel?: () => void;
  children?: ReactNode;
}) {
  return (
    <Group justify="space-between">
      {onBack ? (
        <Button
          variant="subtle"
          leftSection={<IconArrowLeft size={16} />}
          onClick={onBack}
          data-testid="connect-back"
        >
          Other platforms
        </Button>
      ) : (
        <span />
      )}
      <Group gap="sm">
        {onCancel && (
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
        )}
        {children}
      </Group>
    </Group>
  );
}
