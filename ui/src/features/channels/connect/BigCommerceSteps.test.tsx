import { act, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../../lib/__mocks__/backend";
import { channelFixture } from "../../../test/fixtures";
import { renderApp } from "../../../test/renderApp";
import { clearSyncProgress } from "../syncProgress";

vi.mock("../../../lib/backend");

const bigcommerceChannel = channelFixture({
  id: 11,
  platform: "bigcommerce",
  name: "Harbour Goods BC",
  account: "abc123",
});

async function openBigCommerce(path = "/channels") {
  const app = renderApp(path);
  await app.user.click(await screen.findByTestId("connect-bigcommerce"));
  await screen.findByTestId("bc-store-hash");
  return app;
}

describe("BigCommerce connect steps", () => {
  beforeEach(() => {
    backend.resetFakeBackend();
    clearSyncProgress();
  });

  it("says which fields are empty and sends nothing", async () => {
    const app = await openBigCommerce();
    await app.user.click(screen.getByTestId("bc-connect"));

    expect(await screen.findByText("Paste the API path (or just the store hash) from your API account.")).toBeVisible();
    expect(screen.getByText("Paste the access token from your API account.")).toBeVisible();
    expect(backend.bigcommerceConnect).not.toHaveBeenCalled();

    await app.user.type(screen.getByTestId("bc-store-hash"), "   ");
    await app.user.type(screen.getByTestId("bc-access-token"), "tok");
    await app.user.click(screen.getByTestId("bc-connect"));
    expect(await screen.findByText("Paste the API path (or just the store hash) from your API account.")).toBeVisible();
    expect(screen.queryByText("Paste the access token from your API account.")).not.toBeInTheDocument();
    expect(backend.bigcommerceConnect).not.toHaveBeenCalled();
  });

  it("shows the backend's refusal inline and keeps what was typed", async () => {
    backend.bigcommerceConnect.mockRejectedValue({
      code: "channel_auth",
      message: "BigCommerce refused the access token. Check that you copied all of it.",
    });
    const app = await openBigCommerce();
    await app.user.type(screen.getByTestId("bc-store-hash"), "https://api.bigcommerce.com/stores/abc123/v3/");
    await app.user.type(screen.getByTestId("bc-access-token"), "  wrong-token ");
    await app.user.click(screen.getByTestId("bc-connect"));

    const error = await screen.findByTestId("connect-error");
    expect(error).toHaveTextContent("BigCommerce refused the access token. Check that you copied all of it.");
    expect(backend.bigcommerceConnect).toHaveBeenCalledWith(
      "https://api.bigcommerce.com/stores/abc123/v3/",
      "wrong-token",
    );
    expect(screen.getByTestId("bc-store-hash")).toHaveValue("https://api.bigcommerce.com/stores/abc123/v3/");
    expect(screen.queryByTestId("connect-done")).not.toBeInTheDocument();
  });

  it("confirms the connection, lists the channel and shows the import, then lands on orders", async () => {
    backend.bigcommerceConnect.mockImplementation(async () => {
      backend.channelsList.mockResolvedValue([bigcommerceChannel]);
      return bigcommerceChannel;
    });
    const app = await openBigCommerce();
    await app.user.type(screen.getByTestId("bc-store-hash"), "abc123");
    await app.user.type(screen.getByTestId("bc-access-token"), "good-token");
    await app.user.click(screen.getByTestId("bc-connect"));

    const done = await screen.findByTestId("connect-done");
    expect(done).toHaveTextContent("Connected Harbour Goods BC. Importing your order history…");
    act(() => backend.emitSyncProgress({ channelId: 11, pages: 2, orders: 120, newOrders: 120, updatedOrders: 0, done: false, expectedPages: null, etaMs: null, error: null }));
    expect(await within(done).findByText("120 orders so far…")).toBeInTheDocument();

    // No event follows a credential connect; the list behind the wizard learns of it anyway.
    expect(await screen.findByTestId("channel-row")).toHaveAttribute("data-channel-id", "11");

    await app.user.click(screen.getByTestId("connect-save"));
    await waitFor(() => expect(app.router.state.location.pathname).toBe("/orders"));
  });

  it("connects the demo store with one button in demo mode", async () => {
    backend.appInfo.mockResolvedValue(backend.demoAppInfo);
    backend.demoConnect.mockResolvedValue(bigcommerceChannel);
    const app = await openBigCommerce();

    const demo = await screen.findByTestId("bc-demo");
    expect(screen.getByText(/built-in sandbox store \(cl0demo\)/)).toBeInTheDocument();
    await app.user.click(demo);

    expect(backend.demoConnect).toHaveBeenCalledWith("bigcommerce");
    expect(backend.bigcommerceConnect).not.toHaveBeenCalled();
    expect(await screen.findByTestId("connect-done")).toHaveTextContent("Connected Harbour Goods BC.");
  });

  it("offers no demo store outside demo mode", async () => {
    await openBigCommerce();
    await waitFor(() => expect(backend.appInfo).toHaveBeenCalled());
    expect(screen.queryByTestId("bc-demo")).not.toBeInTheDocument();
  });
});
