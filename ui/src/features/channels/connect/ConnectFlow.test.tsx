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

  it("explains that Lightspeed lines need an app registration when this installation can't connect them", async () => {
    await openPicker();
    for (const platform of ["xseries", "rseries", "kseries", "oseries"]) {
      const card = screen.getByTestId(`pick-${platform}`);
      expect(card, `${platform} can't be picked without a registration`).toHaveAttribute("aria-disabled", "true");
      expect(card, "the card says what is missing").toHaveTextContent("App registration needed");
      expect(within(card).queryByRole("button"), "nothing in the card can be clicked").not.toBeInTheDocument();
    }
    expect(screen.getByTestId("lightspeed-note"), "the note says what to do about it").toHaveTextContent(
      "To connect X-Series, R-Series, K-Series, or O-Series, Counterline first needs its Lightspeed app registration on this computer.",
    );
  });

  it("offers only the Lightspeed lines this installation can connect, and explains the rest", async () => {
    backend.appInfo.mockResolvedValue({
      ...backend.defaultAppInfo,
      connectablePlatforms: ["shopify", "bigcommerce", "woocommerce", "xseries", "rseries"],
    });
    const app = await openPicker();

    const xseries = await screen.findByRole("button", { name: /^Lightspeed X-Series/ });
    expect(xseries, "the card itself is the button").toHaveAttribute("data-testid", "pick-xseries");
    expect(screen.getByRole("button", { name: /^Lightspeed R-Series/ })).toBeEnabled();
    expect(screen.getByTestId("pick-kseries"), "K-Series stays closed").toHaveAttribute("aria-disabled", "true");
    expect(screen.getByTestId("lightspeed-note"), "only what is still closed is explained").toHaveTextContent(
      "To connect K-Series or O-Series,",
    );

    await app.user.click(xseries);
    expect(await screen.findByTestId("lightspeed-continue")).toBeVisible();
    expect(screen.getByRole("dialog"), "the wizard names the line").toHaveTextContent("Connect Lightspeed X-Series");
  });

  it("opens K-Series on the same browser steps once the backend can connect it", async () => {
    backend.appInfo.mockResolvedValue({ ...backend.defaultAppInfo, connectablePlatforms: ["kseries"] });
    backend.lightspeedConnectStart.mockResolvedValue({ attemptId: "k-1", authorizeUrl: "https://k.test/authorize" });
    const app = await openPicker();

    await app.user.click(await screen.findByRole("button", { name: /^Lightspeed K-Series/ }));
    await app.user.click(await screen.findByTestId("lightspeed-continue"));

    expect(backend.lightspeedConnectStart, "the K-Series line is the one started").toHaveBeenCalledWith("kseries");
    expect(await screen.findByTestId("lightspeed-waiting")).toBeVisible();
  });

  it("picks a connectable Lightspeed line with the keyboard", async () => {
    backend.appInfo.mockResolvedValue(backend.demoAppInfo);
    const app = await openPicker();
    const card = await screen.findByRole("button", { name: /^Lightspeed R-Series/ });
    card.focus();
    await app.user.keyboard("{Enter}");
    expect(await screen.findByTestId("lightspeed-intro"), "Enter opens the line's steps").toHaveTextContent(
      "opens the Lightspeed R-Series sign-in page",
    );
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

  it("adds a Connect button for each Lightspeed line this installation can connect", async () => {
    backend.appInfo.mockResolvedValue(backend.demoAppInfo);
    const app = renderApp("/channels");

    const xseries = await screen.findByTestId("connect-xseries");
    expect(xseries).toHaveTextContent("Connect Lightspeed X-Series");
    expect(screen.getByTestId("connect-rseries")).toBeVisible();
    expect(screen.queryByTestId("connect-kseries"), "K-Series can't be connected here").not.toBeInTheDocument();

    await app.user.click(xseries);
    expect(await screen.findByTestId("lightspeed-continue"), "the button skips the picker").toBeVisible();
  });
});
