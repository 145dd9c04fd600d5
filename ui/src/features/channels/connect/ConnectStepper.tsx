// The stepper every connect path shows: "Platform" first, then the platform's own steps. The
// Platform step stays clickable, so the merchant can change their mind at any point.

import { Box, Stepper } from "@mantine/core";
import type { ReactNode } from "react";

export type StepLabel = { label: string; description: string };

export function ConnectStepper({
  platformName,
  steps,
  active,
  failed = false,
  onPickPlatform,
  children,
}: {
  /** The picked platform, shown under "Platform"; null while the merchant is still picking. */
  platformName: string | null;
  /** The steps after "Platform". */
  steps: StepLabel[];
  /** Index into all steps, "Platform" being 0. */
  active: number;
  /** Paints the last step red. */
  failed?: boolean;
  onPickPlatform?: () => void;
  /** The active step's content. */
  children: ReactNode;
}) {
  const last = steps.length;
  return (
    <Box>
      <Stepper
        active={active}
        size="sm"
        allowNextStepsSelect={false}
        onStepClick={(index) => {
          if (index === 0) onPickPlatform?.();
        }}
      >
        <Stepper.Step
          label="Platform"
          description={platformName ?? "Where you sell"}
          allowStepSelect={active > 0 && onPickPlatform !== undefined}
          aria-label={active > 0 ? `Platform: ${platformName}. Choose another platform` : undefined}
        />
        {steps.map((step, index) => (
          <Stepper.Step
            key={step.label}
            label={step.label}
            description={step.description}
            allowStepSelect={false}
            color={failed && index + 1 === last ? "red" : undefined}
          />
        ))}
      </Stepper>
      <Box mt="md">{children}</Box>
    </Box>
  );
}
