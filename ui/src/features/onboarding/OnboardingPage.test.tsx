import { act, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../lib/__mocks__/backend";
import { channelFixture } from "../../test/fixtures";
import { renderApp } from "../../test/renderApp";
import { clearSyncProgress } from "../channels/syncProgress";

vi.mock("../../lib/backend");

const remembered = () => window.localStorage.getItem("counterline.onboarding");

async function firstLaunchAtConnectStep() {
  const app = renderApp("/");
  await app.user.click(await screen.findByTestId("onboarding-continue"));
  await screen.findByTestId("platform-picker");
  return app;
}

describe("Onboarding", () => {
  beforeEach(() => {
    backend.resetFakeBackend();
    clearSyncProgress();
  });

  it("opens on first launch inside the app shell", async () => {
    const app = renderApp("/");
    expect(await screen.findByText("Welcome to Counterline")).toBeVisible();
    expect(app.router.state.location.pathname).toBe("/welcome");
    expect(screen.getByTestId("nav-channels")).toBeVisible();
    expect(remembered()).toBeNull();
  });

  it("isn't marked as skipped by React's development double-run while it is open", async () => {
    const app = renderApp("/", { strict: true });
    await app.user.click(await screen.findByTestId("onboarding-continue"));
    await screen.findByTestId("platform-picker");
    expect(remembered()).toBeNull();
  });

  it("is not offered when a channel is already connected", async () => {
    backend.channelsList.mockResolvedValue([channelFixture()]);
    const app = renderApp("/");
    expect(await screen.findByRole("heading", { name: "Sales channels" })).toBeInTheDocument();
    expect(app.router.state.location.pathname).toBe("/channels");
  });

  it("remembers Skip for now and is not offered again", async () => {
    const app = await firstLaunchAtConnectStep();
    await app.user.click(screen.getByTestId("onboarding-skip"));

    await waitFor(() => expect(app.router.state.location.pathname).toBe("/channels"));
    expect(remembered()).toBe("skipped");

    app.unmount();
    const again = renderApp("/");
    await screen.findByRole("heading", { name: "Sales channels" });
    expect(again.router.state.location.pathname).toBe("/channels");
  });

  it("offers Save & Continue only after a channel is connected", async () => {
    backend.demoConnect.mockResolvedValue(channelFixture({ id: 4, platform: "bigcommerce", name: "Demo BC" }));
    backend.appInfo.mockResolvedValue(backend.demoAppInfo);
    const app = await firstLaunchAtConnectStep();
    expect(screen.queryByTestId("onboarding-save")).not.toBeInTheDocument();
    expect(screen.getByTestId("onboarding-skip")).toBeVisible();

    // The picker and the platform's steps sit in the page, not in a modal.
    await app.user.click(screen.getByTestId("pick-bigcommerce"));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.queryByTestId("onboarding-save")).not.toBeInTheDocument();
    await app.user.click(await screen.findByTestId("bc-demo"));

    const done = await screen.findByTestId("connect-done");
    expect(done).toHaveTextContent("Connected Demo BC.");
    // Onboarding has its own Save & Continue; the wizard's would be a second one.
    expect(screen.queryByTestId("connect-save")).not.toBeInTheDocument();
    await app.user.click(await screen.findByTestId("onboarding-save"));

    expect(await screen.findByRole("heading", { name: "You're set" })).toBeVisible();
    act(() => backend.emitSyncProgress({ channelId: 4, pages: 1, orders: 40, newOrders: 40, updatedOrders: 0, done: false, expectedPages: null, etaMs: null, error: null }));
    expect(await screen.findByText("40 orders so far…")).toBeInTheDocument();

    await app.user.click(screen.getByTestId("onboarding-finish"));
    await waitFor(() => expect(app.router.state.location.pathname).toBe("/orders"));
    expect(remembered()).toBe("finished");
  });

  it("counts a browser sign-in that comes back as a connected channel", async () => {
    backend.shopifyConnectStart.mockResolvedValue({ attemptId: "a-1", authorizeUrl: "https://x.myshopify.com/admin/oauth/authorize" });
    const app = await firstLaunchAtConnectStep();
    await app.user.click(screen.getByTestId("pick-shopify"));
    await app.user.type(await screen.findByTestId("shop-domain"), "harbour-goods");
    await app.user.click(screen.getByTestId("connect-continue"));
    await screen.findByTestId("connect-waiting");
    expect(screen.queryByTestId("onboarding-save")).not.toBeInTheDocument();

    act(() => backend.emitConnectOutcome({ attemptId: "a-1", channel: channelFixture({ id: 8 }), error: null }));
    expect(await screen.findByTestId("onboarding-save")).toBeVisible();
    expect(screen.queryByTestId("onboarding-skip")).not.toBeInTheDocument();
  });

  it("counts leaving through the navigation as skipping", async () => {
    const app = renderApp("/");
    await screen.findByText("Welcome to Counterline");
    await app.user.click(screen.getByTestId("nav-channels"));

    expect(await screen.findByTestId("channels-page")).toBeInTheDocument();
    expect(screen.getByTestId("connect-shopify")).toBeVisible();
    expect(remembered()).toBe("skipped");
  });

  it("can be walked through again from Settings without forgetting it was finished", async () => {
    window.localStorage.setItem("counterline.onboarding", "finished");
    const app = renderApp("/settings");
    await app.user.click(await screen.findByTestId("onboarding-restart"));
    expect(await screen.findByText("Welcome to Counterline")).toBeVisible();

    await app.user.click(screen.getByTestId("nav-orders"));
    await waitFor(() => expect(app.router.state.location.pathname).toBe("/orders"));
    expect(remembered()).toBe("finished");
  });
});
