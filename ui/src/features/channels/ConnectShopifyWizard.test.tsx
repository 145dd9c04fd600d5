import { act, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../lib/__mocks__/backend";
import { channelFixture } from "../../test/fixtures";
import { renderApp } from "../../test/renderApp";
import { clearSyncProgress } from "./syncProgress";

vi.mock("../../lib/backend");

const started = { attemptId: "attempt-1", authorizeUrl: "https://harbour-goods.myshopify.com/admin/oauth/authorize?x=1" };

async function openWizardAndContinue(domain = "harbour-goods") {
  const app = renderApp("/channels");
  const [connect] = await screen.findAllByTestId("connect-shopify");
  await app.user.click(connect!);
  const input = await screen.findByTestId("shop-domain");
  await app.user.clear(input);
  await app.user.type(input, domain);
  await app.user.click(screen.getByTestId("connect-continue"));
  return app;
}

describe("ConnectShopifyWizard", () => {
  beforeEach(() => {
    backend.resetFakeBackend();
    clearSyncProgress();
    backend.shopifyConnectStart.mockResolvedValue(started);
  });

  it("sends the normalized store domain and waits for the browser", async () => {
    await openWizardAndContinue("Harbour-Goods");
    expect(await screen.findByTestId("connect-waiting")).toBeVisible();
    expect(backend.shopifyConnectStart).toHaveBeenCalledWith("harbour-goods.myshopify.com");
  });

  it("moves from Authorize to Done when the browser's sign-in comes back for this attempt", async () => {
    const app = await openWizardAndContinue();
    await screen.findByTestId("connect-waiting");

    const channel = channelFixture({ id: 7, name: "Harbour Goods" });
    act(() => backend.emitConnectOutcome({ attemptId: "attempt-1", channel, error: null }));

    const done = await screen.findByTestId("connect-done");
    expect(done).toHaveTextContent("Connected Harbour Goods. Importing your order history…");
    expect(screen.queryByTestId("connect-waiting")).not.toBeInTheDocument();

    act(() => backend.emitSyncProgress({ channelId: 7, pages: 3, orders: 250, newOrders: 250, updatedOrders: 0, done: false, expectedPages: null, etaMs: null, error: null }));
    expect(await within(done).findByText("250 orders so far…")).toBeInTheDocument();
    act(() => backend.emitSyncProgress({ channelId: 7, pages: 4, orders: 312, newOrders: 312, updatedOrders: 0, done: true, expectedPages: null, etaMs: null, error: null }));
    expect(await within(done).findByText("Imported 312 orders.")).toBeInTheDocument();

    await app.user.click(screen.getByTestId("connect-save"));
    await waitFor(() => expect(app.router.state.location.pathname).toBe("/orders"));
    await waitFor(() => expect(screen.queryByTestId("connect-done")).not.toBeInTheDocument());
  });

  it("ignores a sign-in that belongs to another attempt", async () => {
    await openWizardAndContinue();
    await screen.findByTestId("connect-waiting");

    act(() =>
      backend.emitConnectOutcome({ attemptId: "someone-else", channel: channelFixture(), error: null }),
    );

    expect(screen.getByTestId("connect-waiting")).toBeInTheDocument();
    expect(screen.queryByTestId("connect-done")).not.toBeInTheDocument();
  });

  it("finishes even when the browser answers before the start command does", async () => {
    let answer: (value: typeof started) => void = () => {};
    backend.shopifyConnectStart.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    await openWizardAndContinue();

    act(() =>
      backend.emitConnectOutcome({ attemptId: "attempt-1", channel: channelFixture({ name: "Quick Shop" }), error: null }),
    );
    await act(async () => answer(started));

    expect(await screen.findByTestId("connect-done")).toHaveTextContent("Connected Quick Shop.");
  });

  it("shows the refusal in a red alert and lets the merchant try again", async () => {
    const app = await openWizardAndContinue();
    await screen.findByTestId("connect-waiting");

    act(() =>
      backend.emitConnectOutcome({
        attemptId: "attempt-1",
        channel: null,
        error: { code: "channel_auth", message: "Shopify declined the app's access." },
      }),
    );

    expect(await screen.findByTestId("connect-error")).toHaveTextContent("Shopify declined the app's access.");
    await app.user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("shop-domain")).toHaveValue("harbour-goods.myshopify.com");
  });

  it("shows why the sign-in could not start", async () => {
    backend.shopifyConnectStart.mockRejectedValue({
      code: "keychain_unavailable",
      message: "No system keychain is available.",
    });
    await openWizardAndContinue();
    expect(await screen.findByTestId("connect-error")).toHaveTextContent("No system keychain is available.");
    expect(screen.queryByTestId("connect-waiting")).not.toBeInTheDocument();
  });

  it("does not start a sign-in for an address that is not a Shopify store", async () => {
    await openWizardAndContinue("harbourgoods.com");
    expect(await screen.findByText(/not a custom domain/)).toBeInTheDocument();
    expect(backend.shopifyConnectStart).not.toHaveBeenCalled();
  });

  it("prefills the sandbox store in demo mode", async () => {
    backend.appInfo.mockResolvedValue({ ...backend.defaultAppInfo, demoMode: true, demoShop: "counterline-demo.myshopify.com" });
    const app = renderApp("/channels");
    expect(await screen.findByTestId("demo-badge")).toBeInTheDocument();
    const [connect] = await screen.findAllByTestId("connect-shopify");
    await app.user.click(connect!);
    expect(await screen.findByTestId("shop-domain")).toHaveValue("counterline-demo.myshopify.com");
    expect(screen.getByText("Demo mode: this connects to the built-in sandbox store.")).toBeInTheDocument();
  });
});
