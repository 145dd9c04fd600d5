import type { ChannelView } from "./ChannelView";
import type { IpcError } from "./IpcError";

export type ConnectOutcome = { attemptId: string | null, channel: ChannelView | null, error: IpcError | null, };
