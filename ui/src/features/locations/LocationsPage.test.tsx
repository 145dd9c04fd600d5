import { screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../lib/__mocks__/backend";
import { renderApp } from "../../test/renderApp";

vi.mock("../../lib/backend");

describe("LocationsPage", () => {
  beforeEach(() => {
    backend.resetFakeBackend();
  });

  it("is reached from Settings", async () => {
    const app = renderApp("/settings");
    await app.user.click(await screen.findByTestId("settings-locations"));
    expect(await screen.findByTestId("locations-page")).toBeInTheDocument();
  });

  it("adds a location and lists it", async () => {
    backend.locationsList.mockResolvedValueOnce([]);
    backend.locationSave.mockResolvedValue({ id: 3, name: "Back room", kind: "store" });
    const app = renderApp("/settings/locations");
    expect(await screen.findByText("No locations yet. Add the place you ship from.")).toBeInTheDocument();

    backend.locationsList.mockResolvedValue([{ id: 3, name: "Back room", kind: "store" }]);
    await app.user.type(screen.getByTestId("new-location-name"), "Back room");
    await app.user.click(screen.getByRole("radio", { name: "Store" }));
    await app.user.click(screen.getByTestId("location-add"));

    await waitFor(() => expect(backend.locationSave).toHaveBeenCalledWith(null, "Back room", "store"));
    expect(await screen.findByTestId("location-row")).toHaveTextContent("Back room");
  });

  it("renames a location in place and shows the backend's refusal in plain words", async () => {
    backend.locationsList.mockResolvedValue([{ id: 1, name: "Main warehouse", kind: "warehouse" }]);
    backend.locationSave.mockRejectedValue({ code: "invalid_input", message: "There is already a location called High Street store." });
    const app = renderApp("/settings/locations");
    await app.user.click(await screen.findByRole("button", { name: "Rename" }));
    const name = screen.getByTestId("location-name");
    await app.user.clear(name);
    await app.user.type(name, "High Street store");
    await app.user.click(screen.getByTestId("location-save"));

    expect(await screen.findByText("There is already a location called High Street store.")).toBeInTheDocument();
    expect(backend.locationSave).toHaveBeenCalledWith(1, "High Street store", "warehouse");
    expect(screen.getByTestId("location-name")).toHaveValue("High Street store");
  });

  it("sets the stock of a SKU at a location and shows what is on hand", async () => {
    backend.locationsList.mockResolvedValue([{ id: 1, name: "Main warehouse", kind: "warehouse" }]);
    backend.stockLevels.mockResolvedValue([{ locationId: 1, sku: "MUG-BLUE", onHand: 12 }]);
    const app = renderApp("/settings/locations");
    await app.user.type(await screen.findByTestId("stock-sku"), "MUG-BLUE");
    const onHand = screen.getByTestId("stock-on-hand");
    await app.user.clear(onHand);
    await app.user.type(onHand, "12");
    await app.user.click(screen.getByTestId("stock-save"));

    await waitFor(() => expect(backend.stockSet).toHaveBeenCalledWith(1, "MUG-BLUE", 12));
    expect(await screen.findByTestId("stock-row")).toHaveTextContent("12 on hand");
  });
});
