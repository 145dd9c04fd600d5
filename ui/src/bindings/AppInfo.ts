export type AppInfo = { version: string, demoMode: boolean, demoShop: string | null, keychainAvailable: boolean, dataDir: string, };
