import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The app is served by Tauri from a custom protocol with a strict CSP (`default-src 'self'`),
// so every asset must be relative and bundled: no CDNs, no remote fonts.
export default defineConfig({
  base: "./",
  plugins: [react()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Linux ships WebKitGTK, the oldest engine Counterline runs on; Safari 15 is its floor.
    target: ["es2021", "safari15"],
    cssTarget: ["safari15"],
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    restoreMocks: true,
    css: false,
  },
});
