// Builds the React UI (popover and preferences) into dist/renderer: served by `otto-tray serve`, loaded by Electron.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  plugins: [react()],
  build: { outDir: "../dist/renderer", emptyOutDir: true, sourcemap: false, modulePreload: { polyfill: false } },
});
