// Lint rules: typescript-eslint's recommended set plus the runtime boundaries of DESIGN.md.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", "out/**", "release/**", "bin/**", "build/cli/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The core is pure Node: no Electron, no React, and nothing from the adapters above it.
    files: ["core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "electron", message: "core/ is pure Node: put Electron code in electron/." },
            { name: "react", message: "core/ is pure Node: put React code in renderer/." },
            { name: "react-dom", message: "core/ is pure Node: put React code in renderer/." },
          ],
          patterns: [
            { group: ["electron/*", "react/*", "react-dom/*"], message: "core/ is pure Node." },
            { group: ["**/cli/**", "**/electron/**", "**/renderer/**"], message: "core/ must not depend on its adapters." },
          ],
        },
      ],
    },
  },
  {
    // The main process's logic is pure and tested in Node: only the wiring (index.ts and its Electron wrapper) imports Electron.
    files: ["electron/main/tray-model.ts", "electron/main/notify-policy.ts", "electron/main/popover-position.ts", "electron/main/ipc-guard.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "electron", message: "This module is pure logic tested without Electron: pass values in from the wiring." }] }],
    },
  },
  {
    // The renderer talks only through the typed API: no Node built-ins, no direct core imports but the API types.
    files: ["renderer/**/*.ts", "renderer/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["node:*", "fs", "child_process", "electron"], message: "The renderer uses only the typed API." }] },
      ],
    },
  },
  {
    // JXA scripts: concatenated by the runner (jxa-common.js first), run by osascript with its own globals.
    files: ["native-scripts/**/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: {
        Application: "readonly",
        ObjC: "readonly",
        $: "readonly",
        elementLabel: "readonly",
        elementRole: "readonly",
        findProcess: "readonly",
        walkElements: "readonly",
        describeFailure: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { varsIgnorePattern: "^(main|elementLabel|elementRole|findProcess|walkElements|describeFailure)$", caughtErrors: "none" }],
      "no-redeclare": "off",
    },
  },
  {
    files: ["scripts/**/*.mjs", "test-support/**/*.mjs", "eslint.config.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", setInterval: "readonly", setTimeout: "readonly", clearTimeout: "readonly", Buffer: "readonly", fetch: "readonly", structuredClone: "readonly" } },
  },
  {
    // electron-builder's configuration is CommonJS (it is loaded with require).
    files: ["*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly", process: "readonly", __dirname: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
