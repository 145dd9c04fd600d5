// The window's frame: product header, section navigation, and the page in the middle.

import { AppShell, Badge, Burger, Group, NavLink, ScrollArea, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import {
  IconChartBar,
  IconHistory,
  IconPlugConnected,
  IconReceipt,
  IconSettings,
  IconUsers,
} from "@tabler/icons-react";
import type { ReactNode } from "react";
import { Link, Outlet, useLocation } from "react-router";
import { ConnectWizardProvider } from "../channels/ConnectWizardContext";
import { useLeavingOnboardingSkips } from "../onboarding/useLeavingOnboardingSkips";
import { BackgroundActivity } from "./BackgroundActivity";
import { ColorSchemeToggle } from "./ColorSchemeToggle";
import { KeychainWarning } from "./KeychainWarning";
import { useAppInfo } from "./useAppInfo";
import { useRefreshOnSync } from "./useRefreshOnSync";

type Section = { path: string; label: string; testId: string; icon: ReactNode };

const sections: Section[] = [
  { path: "/channels", label: "Channels", testId: "nav-channels", icon: <IconPlugConnected size={18} /> },
  { path: "/orders", label: "Orders", testId: "nav-orders", icon: <IconReceipt size={18} /> },
  { path: "/members", label: "Members", testId: "nav-members", icon: <IconUsers size={18} /> },
  { path: "/insights", label: "Insights", testId: "nav-insights", icon: <IconChartBar size={18} /> },
  { path: "/sync-log", label: "Sync log", testId: "nav-sync-log", icon: <IconHistory size={18} /> },
  { path: "/settings", label: "Settings", testId: "nav-settings", icon: <IconSettings size={18} /> },
];

export function AppLayout() {
  const [navOpened, nav] = useDisclosure(false);
  const { pathname } = useLocation();
  const info = useAppInfo().data;
  useLeavingOnboardingSkips();
  // Here, not on the pages: a sync that ends while another page is open must still mark the
  // orders and members it changed as stale, or the next visit shows the cached lists.
  useRefreshOnSync();

  return (
    <ConnectWizardProvider>
      <AppShell
        header={{ height: 56 }}
        navbar={{ width: 200, breakpoint: "sm", collapsed: { mobile: !navOpened } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger opened={navOpened} onClick={nav.toggle} hiddenFrom="sm" size="sm" />
              <Title order={3}>Counterline</Title>
              {info?.demoMode && (
                <Badge color="grape" variant="light" data-testid="demo-badge">
                  Demo mode
                </Badge>
              )}
            </Group>
            <ColorSchemeToggle />
          </Group>
        </AppShell.Header>

        <AppShell.Navbar p="xs">
          <AppShell.Section grow component={ScrollArea}>
            {sections.map((section) => (
              <NavLink
                key={section.path}
                component={Link}
                to={section.path}
                label={section.label}
                leftSection={section.icon}
                active={pathname.startsWith(section.path)}
                data-testid={section.testId}
                onClick={nav.close}
              />
            ))}
          </AppShell.Section>
          {info && (
            <AppShell.Section>
              <Text size="xs" c="dimmed" px="sm">
                Version {info.version}
              </Text>
            </AppShell.Section>
          )}
        </AppShell.Navbar>

        <AppShell.Main>
          <KeychainWarning />
          <Outlet />
        </AppShell.Main>
      </AppShell>
      <BackgroundActivity />
    </ConnectWizardProvider>
  );
}
