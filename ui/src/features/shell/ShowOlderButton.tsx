// "Show older …" under a list read page by page; nothing once the last page is in.

import { Button, Group, type MantineSpacing } from "@mantine/core";

type Pages = { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };

export function ShowOlderButton({ pages, label, mt }: { pages: Pages; label: string; mt?: MantineSpacing }) {
  if (!pages.hasNextPage) return null;
  return (
    <Group justify="center" mt={mt}>
      <Button variant="default" loading={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
        {label}
      </Button>
    </Group>
  );
}
