import { act, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../../lib/__mocks__/backend";
import { channelFixture } from "../../../test/fixtures";
import { renderApp } from "../../../test/renderApp";
import { clearSyncProgress } from "../syncProgress";

vi.mock("../../../lib/backend");

const wooChannel = channelFixture({
  id: 21,
  platform: "woocommerce",
  name: "Corner Shop",
  account: "shop.example.com",
});

async function openWooCommerce() {
  const app = renderApp("/channels");
  await app.user.click(await screen.findByTestId("connect-woocommerce"));
  await screen.findByTestId("woo-site");
  return app;
}

describe("WooCommerce connect steps", () => {
  beforeEach(() => {
    backend.resetFakeBackend();
    clearSyncProgress();
  });

  it("sends the store address, consumer key and secret on the REST API keys path", async () => {
    backend.woocommerceConnectKeys.mockResolvedValue(wooChannel);
    const app = await openWooCommerce();
    await app.user.type(screen.getByTestId("woo-site"), "https://shop.example.com/wp-admin/");

    const toggle = screen.getByTestId("woo-keys-toggle");
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByTestId("woo-key")).not.toBeInTheDocument();
    await app.user.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");

    await app.user.type(screen.getByTestId("woo-key"), "ck_live_123");
    await app.user.type(screen.getByTestId("woo-secret"), "cs_live_456");
    await app.user.click(screen.getByTestId("woo-connect-keys"));

    expect(backend.woocommerceConnectKeys).toHaveBeenCalledWith(
      "https://shop.example.com",
      "ck_live_123",
      "cs_live_456",
    );
    expect(backend.woocommerceConnectStart).not.toHaveBeenCalled();
    expect(await screen.findByTestId("connect-done")).toHaveTextContent("Connected Corner Shop.");
  });

  it("asks for the address and both keys before sending anything", async () => {
    const app = await openWooCommerce();
    await app.user.click(screen.getByTestId("woo-keys-toggle"));
    await app.user.click(screen.getByTestId("woo-connect-keys"));

    expect(await screen.findByText("Paste the consumer key (it starts with ck_).")).toBeVisible();
    expect(screen.getByText("Paste the consumer secret (it starts with cs_).")).toBeVisible();

    await app.user.type(screen.getByTestId("woo-key"), "ck_1");
    await app.user.type(screen.getByTestId("woo-secret"), "cs_1");
    await app.user.click(screen.getByTestId("woo-connect-keys"));
    expect(await screen.findByText("Enter your store's address, like https://shop.example.com.")).toBeVisible();
    expect(backend.woocommerceConnectKeys).not.toHaveBeenCalled();
  });

  it("shows the backend's refusal of the keys inline", async () => {
    backend.woocommerceConnectKeys.mockRejectedValue({
      code: "channel_auth",
      message: "WooCommerce refused these keys. Check they have Read permission.",
    });
    const app = await openWooCommerce();
    await app.user.type(screen.getByTestId("woo-site"), "shop.example.com");
    await app.user.click(screen.getByTestId("woo-keys-toggle"));
    await app.user.type(screen.getByTestId("woo-key"), "ck_1");
    await app.user.type(screen.getByTestId("woo-secret"), "cs_1");
    await app.user.click(screen.getByTestId("woo-connect-keys"));

    expect(await screen.findByTestId("connect-error")).toHaveTextContent(
      "WooCommerce refused these keys. Check they have Read permission.",
    );
    expect(screen.getByTestId("woo-key")).toHaveValue("ck_1");
  });

  it("signs in with WordPress in the browser and finishes when that attempt comes back", async () => {
    backend.woocommerceConnectStart.mockResolvedValue({
      attemptId: "woo-attempt",
      authorizeUrl: "https://shop.example.com/wp-admin/authorize-application.php?app_name=Counterline",
    });
    const app = await openWooCommerce();
    await app.user.type(screen.getByTestId("woo-site"), "shop.example.com");
    await app.user.click(screen.getByTestId("woo-authorize"));

    expect(await screen.findByTestId("connect-waiting")).toHaveTextContent(
      "We opened your WordPress site in your browser.",
    );
    expect(backend.woocommerceConnectStart).toHaveBeenCalledWith("shop.example.com");

    act(() => backend.emitConnectOutcome({ attemptId: "woo-attempt", channel: wooChannel, error: null }));
    expect(await screen.findByTestId("connect-done")).toHaveTextContent("Connected Corner Shop.");
    await app.user.click(screen.getByTestId("connect-save"));
    await waitFor(() => expect(app.router.state.location.pathname).toBe("/orders"));
  });

  it("connects the demo store with one button in demo mode and prefills its address", async () => {
    backend.appInfo.mockResolvedValue(backend.demoAppInfo);
    backend.demoConnect.mockResolvedValue(wooChannel);
    const app = await openWooCommerce();

    await waitFor(() => expect(screen.getByTestId("woo-site")).toHaveValue("shop.counterline-demo.test"));
    await app.user.click(await screen.findByTestId("woo-demo"));

    expect(backend.demoConnect).toHaveBeenCalledWith("woocommerce");
    expect(backend.woocommerceConnectKeys).not.toHaveBeenCalled();
    expect(await screen.findByTestId("connect-done")).toBeInTheDocument();
  });
});
