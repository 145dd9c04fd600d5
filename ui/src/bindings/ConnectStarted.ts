export type ConnectStarted = { attemptId: string, authorizeUrl: string, };
