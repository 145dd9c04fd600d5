import type { ReactNode } from "react";
import type { ChannelView } from "../../../bindings/ChannelView";

/** What every platform's steps get from the connect flow around them. */
export type PlatformStepsProps = {
  /** Back to the platform picker. */
  onPickPlatform: () => void;
  /** Closes the wizard; absent when the steps sit inline in a page (onboarding). */
  onCancel?: () => void;
  /** The store is connected and its import has started. */
  onConnected: (channel: ChannelView) => void;
  /** The Done step's content, the same for every platform. */
  renderDone: (channel: ChannelView) => ReactNode;
};
