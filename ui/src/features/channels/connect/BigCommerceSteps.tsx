// BigCommerce has no OAuth a desktop app can use, so the merchant creates a store-level API
// account and pastes its details; the backend tests them before saving (PRODUCT.md §2).

import { Stack } from "@mantine/core";
import { useState } from "react";
import type { ChannelView } from "../../../bindings/ChannelView";
import { bigcommerceConnect, demoConnect } from "../../../lib/backend";
import { useAppInfo } from "../../shell/useAppInfo";
import { BigCommerceForm } from "./BigCommerceForm";
import { BigCommerceGuide } from "./BigCommerceGuide";
import { ConnectStepper } from "./ConnectStepper";
import { DemoStoreCard } from "./DemoStoreCard";
import type { PlatformStepsProps } from "./types";
import { useCredentialConnect } from "./useCredentialConnect";

const steps = [
  { label: "API account", description: "Create and paste" },
  { label: "Done", description: "Import orders" },
];

export function BigCommerceSteps({ onPickPlatform, onCancel, onConnected, renderDone }: PlatformStepsProps) {
  const info = useAppInfo().data;
  const [channel, setChannel] = useState<ChannelView | null>(null);
  const connect = useCredentialConnect<"form" | "demo">((connected) => {
    setChannel(connected);
    onConnected(connected);
  });

  return (
    <ConnectStepper
      platformName="BigCommerce"
      steps={steps}
      active={channel ? 2 : 1}
      onPickPlatform={onPickPlatform}
    >
      {channel ? (
        renderDone(channel)
      ) : (
        <Stack>
          {info?.demoMode && (
            <DemoStoreCard
              testId="bc-demo"
              platformName="BigCommerce"
              store={info.demoBigcommerceStore}
              loading={connect.pending === "demo"}
              disabled={connect.pending === "form"}
              onUse={() => void connect.run("demo", () => demoConnect("bigcommerce"))}
            />
          )}
          <BigCommerceGuide />
          <BigCommerceForm
            connecting={connect.pending === "form"}
            disabled={connect.pending === "demo"}
            error={connect.error}
            onConnect={({ storeHash, accessToken }) =>
              void connect.run("form", () => bigcommerceConnect(storeHash, accessToken))
            }
            onBack={onPickPlatform}
            onCancel={onCancel}
          />
        </Stack>
      )}
    </ConnectStepper>
  );
}
