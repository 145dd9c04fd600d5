import type { IpcError } from "./IpcError";

export type SyncProgress = { channelId: number, pages: number, orders: number, done: boolean, error: IpcError | null, };
