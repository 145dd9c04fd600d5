import { act, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../lib/__mocks__/backend";
import { channelFixture } from "../../test/fixtures";
import { renderApp } from "../../test/renderApp";

vi.mock("../../lib/backend");

describe("AppLayout", () => {
  beforeEach(() => backend.resetFakeBackend());

  it("opens on the Channels page and navigates between sections", async () => {
    window.localStorage.setItem("counterline.onboarding", "finished");
    const app = renderApp("/");
    expect(await screen.findByRole("heading", { name: "Sales channels" })).toBeInTheDocument();

    await app.user.click(screen.getByTestId("nav-members"));
    expect(await screen.findByRole("heading", { name: "Members" })).toBeInTheDocument();
    for (const id of ["nav-channels", "nav-orders", "nav-insights", "nav-sync-log", "nav-settings"]) {
      expect(screen.getByTestId(id)).toBeInTheDocument();
    }
    await app.user.click(screen.getByTestId("nav-orders"));
    expect(app.router.state.location.pathname).toBe("/orders");
  });

  it("shows the orders a sync brought in while another page was open on the next visit", async () => {
    window.localStorage.setItem("counterline.onboarding", "finished");
    backend.channelsList.mockResolvedValue([channelFixture()]);
    backend.ordersCount.mockResolvedValue({ total: 300, capped: false });
    const app = renderApp("/orders");
    expect(await screen.findByTestId("orders-total")).toHaveTextContent("300 orders");

    await app.user.click(screen.getByTestId("nav-channels"));
    await screen.findByRole("heading", { name: "Sales channels" });
    // A second store's backfill ends while Channels is open, well within the cache's freshness.
    backend.ordersCount.mockResolvedValue({ total: 600, capped: false });
    act(() => backend.emitSyncProgress({ channelId: 2, pages: 2, orders: 300, newOrders: 300, updatedOrders: 0, done: true, expectedPages: 2, etaMs: 0, error: null }));

    await app.user.click(screen.getByTestId("nav-orders"));
    expect(await screen.findByTestId("orders-total")).toHaveTextContent("600 orders");
  });

  it("warns when there is no keychain to keep channel passwords in", async () => {
    backend.appInfo.mockResolvedValue({ ...backend.defaultAppInfo, keychainAvailable: false });
    renderApp("/channels");
    expect(
      await screen.findByText(/No system keychain is available, so Counterline can't store channel passwords/),
    ).toBeInTheDocument();
  });

  it("does not warn about the keychain when one is available", async () => {
    renderApp("/channels");
    await screen.findByRole("heading", { name: "Sales channels" });
    await waitFor(() => expect(backend.appInfo).toHaveBeenCalled());
    expect(screen.queryByTestId("keychain-warning")).not.toBeInTheDocument();
    expect(screen.queryByTestId("demo-badge")).not.toBeInTheDocument();
  });

  it("tells the merchant on any screen that a sign-in link it did not start was ignored", async () => {
    renderApp("/members");
    await screen.findByRole("heading", { name: "Members" });
    await waitFor(() => expect(backend.listenerCount().connect).toBeGreaterThan(0));

    act(() =>
      backend.emitConnectOutcome({
        attemptId: null,
        channel: null,
        error: { code: "callback_rejected", message: "The link's state matches no sign-in in progress." },
      }),
    );

    const notice = await screen.findByTestId("deep-link-error");
    expect(notice).toBeVisible();
    expect(notice).toHaveTextContent("Counterline ignored a sign-in link it didn't start. Nothing was saved.");
    expect(notice).toHaveTextContent("The link's state matches no sign-in in progress.");
  });

  it("reports a sync's progress in one toast that turns into the result", async () => {
    backend.channelsList.mockResolvedValue([channelFixture({ id: 3, name: "Harbour Goods" })]);
    renderApp("/channels");
    await screen.findAllByTestId("channel-row");
    await waitFor(() => expect(backend.listenerCount().sync).toBeGreaterThan(0));

    act(() => backend.emitSyncProgress({ channelId: 3, pages: 12, orders: 1250, newOrders: 1250, updatedOrders: 0, done: false, expectedPages: null, etaMs: null, error: null }));
    expect(await screen.findByText("Importing orders from Harbour Goods: 1,250 so far")).toBeInTheDocument();

    act(() => backend.emitSyncProgress({ channelId: 3, pages: 13, orders: 1302, newOrders: 1302, updatedOrders: 0, done: true, expectedPages: null, etaMs: null, error: null }));
    expect(await screen.findByText("Imported 1,302 orders")).toBeInTheDocument();
    expect(screen.queryByText(/so far/)).not.toBeInTheDocument();
  });
});
