import { EmptyState, Stack, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** A screen that is planned but not built yet says what will live there instead of nothing. */
export function PlaceholderPage({
  title,
  icon,
  description,
  children,
}: {
  title: string;
  icon: ReactNode;
  description: string;
  children?: ReactNode;
}) {
  return (
    <Stack>
      <Title order={2}>{title}</Title>
      <EmptyState mt="xl" icon={icon} variant="light" title="Coming soon" description={description}>
        {children}
      </EmptyState>
    </Stack>
  );
}
