import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../../lib/__mocks__/backend";
import { renderApp } from "../../../test/renderApp";
import { clearSyncProgress } from "../syncProgress";

vi.mock("../../../lib/backend");

async function openPicker() {
  const app = renderApp("/channels");
  await app.user.click(await screen.findByTestId("connect-channel"));
  await screen.findByTestId("platform-picker");
  return app;
}

describe("Connect wizard platform picker", () => {
  beforeEach(() => {
    backend.resetFakeBackend();
    clearSyncProgress();
  });

  it("routes each platform card to that platform's own steps", async () => {
    const app = await openPicker();
    const dialog = screen.getByRole("dialog");
    expect(dialog).toHaveTextContent("Connect a sales channel");

    await app.user.click(screen.getByTestId("pick-shopify"));
    expect(await screen.findByTestId("shop-domain")).toBeVisible();
    expect(screen.getByRole("dialog")).toHaveTextContent("Connect Shopify");

    await app.user.click(screen.getByTestId("connect-back"));
    await app.user.click(await screen.findByTestId("pick-bigcommerce"));
    expect(await screen.findByTestId("bc-store-hash")).toBeVisible();
    expect(screen.getByTestId("bc-access-token")).toBeVisible();
    expect(screen.getByText(/Settings › Store-level API accounts/)).toBeInTheDocument();

    await app.user.click(screen.getByTestId("connect-back"));
    await app.user.click(await screen.findByTestId("pick-woocommerce"));
    expect(await screen.findByTestId("woo-site")).toBeVisible();
    expect(screen.getByTestId("woo-authorize")).toHaveTextContent("Sign in with WordPress (recommended)");
  });

  it("lists the Lightspeed lines as coming soon without letting the merchant pick them", async () => {
    await openPicker();
    for (const series of ["x", "r", "k", "o"]) {
      const card = screen.getByTestId(`pick-lightspeed-${series}`);
      expect(card).toHaveAttribute("aria-disabled", "true");
      expect(card).toHaveTextContent("Coming soon");
      expect(within(card).queryByRole("button")).not.toBeInTheDocument();
    }
    expect(screen.getByText(`Lightspeed ${"X"}-Series`)).toBeInTheDocument();
  });

  it("picks a platform with the keyboard", async () => {
    const app = await openPicker();
    screen.getByTestId("pick-woocommerce").focus();
    await app.user.keyboard("{Enter}");
    expect(await screen.findByTestId("woo-site")).toBeInTheDocument();
  });

  it("opens straight on Shopify's steps from Connect Shopify, with the picker one click away", async () => {
    const app = renderApp("/channels");
    const [connect] = await screen.findAllByTestId("connect-shopify");
    await app.user.click(connect!);
    expect(await screen.findByTestId("shop-domain")).toBeVisible();
    await app.user.click(screen.getByTestId("connect-back"));
    expect(await screen.findByTestId("platform-picker")).toBeVisible();
  });

  it("goes back to the picker from the stepper's Platform step", async () => {
    const app = await openPicker();
    await app.user.click(screen.getByTestId("pick-bigcommerce"));
    await screen.findByTestId("bc-store-hash");
    await app.user.click(screen.getByRole("button", { name: "Platform: BigCommerce. Choose another platform" }));
    expect(await screen.findByTestId("platform-picker")).toBeVisible();
  });

  it("opens straight on BigCommerce's and WooCommerce's steps from the empty channel list", async () => {
    const app = renderApp("/channels");
    await app.user.click(await screen.findByTestId("connect-bigcommerce"));
    expect(await screen.findByTestId("bc-store-hash")).toBeVisible();
    await app.user.click(screen.getByRole("button", { name: "Cancel" }));

    await app.user.click(screen.getByTestId("connect-woocommerce"));
    expect(await screen.findByTestId("woo-site")).toBeVisible();
  });
});
