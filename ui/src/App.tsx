// Providers and routes. Tauri serves the UI from a custom protocol with no server-side routing,
// so routes live in the URL hash.

import { createTheme, MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { createHashRouter, Navigate, RouterProvider, type RouteObject } from "react-router";
import { ChannelDetailPage } from "./features/channels/ChannelDetailPage";
import { ChannelsPage } from "./features/channels/ChannelsPage";
import { OnboardingPage } from "./features/onboarding/OnboardingPage";
import { StartPage } from "./features/onboarding/StartPage";
import { LocationsPage } from "./features/locations/LocationsPage";
import { OrderDetailPage } from "./features/order-detail/OrderDetailPage";
import { OrdersPage } from "./features/orders/OrdersPage";
import { AppLayout } from "./features/shell/AppLayout";
import { InsightsPage } from "./features/insights/InsightsPage";
import { LoyaltySettingsPage } from "./features/loyalty-settings/LoyaltySettingsPage";
import { MemberProfilePage } from "./features/members/MemberProfilePage";
import { MembersPage } from "./features/members/MembersPage";
import { UnmatchedOrdersPage } from "./features/members/UnmatchedOrdersPage";
import { SettingsPage } from "./features/shell/PlannedPages";
import { SyncLogPage } from "./features/sync-log/SyncLogPage";

export const theme = createTheme({
  primaryColor: "indigo",
  defaultRadius: "md",
});

export const routes: RouteObject[] = [
  {
    path: "/",
    element: <AppLayout />,
    children: [
      { index: true, element: <StartPage /> },
      { path: "welcome", element: <OnboardingPage /> },
      { path: "channels", element: <ChannelsPage /> },
      { path: "channels/:id", element: <ChannelDetailPage /> },
      { path: "orders", element: <OrdersPage /> },
      { path: "orders/:id", element: <OrderDetailPage /> },
      { path: "members", element: <MembersPage /> },
      { path: "members/unmatched", element: <UnmatchedOrdersPage /> },
      { path: "members/:id", element: <MemberProfilePage /> },
      { path: "insights", element: <InsightsPage /> },
      { path: "sync-log", element: <SyncLogPage /> },
      { path: "settings", element: <SettingsPage /> },
      { path: "settings/locations", element: <LocationsPage /> },
      { path: "settings/loyalty", element: <LoyaltySettingsPage /> },
      { path: "*", element: <Navigate to="/channels" replace /> },
    ],
  },
];

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Data comes from the local database over IPC: a failure will not heal by retrying at
        // once, and refetching a long list whenever the window regains focus is wasted work.
        retry: false,
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
    },
  });
}

export function AppProviders({
  queryClient,
  children,
  env,
}: {
  queryClient: QueryClient;
  children: ReactNode;
  env?: "default" | "test";
}) {
  return (
    <QueryClientProvider client={queryClient}>
      <MantineProvider theme={theme} defaultColorScheme="auto" env={env}>
        <Notifications position="bottom-right" limit={5} />
        {children}
      </MantineProvider>
    </QueryClientProvider>
  );
}

const queryClient = createQueryClient();
const router = createHashRouter(routes);

export function App() {
  return (
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
