// Test runner configuration: unit and integration tests live next to the code they test; the real Claude Code runs in a project of its own.
import { defineConfig } from "vitest/config";

const REAL_CLAUDE = "test-support/real-claude/**/*.test.ts";

export default defineConfig({
  test: {
    exclude: ["**/node_modules/**", "dist/**", "e2e/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    setupFiles: ["test-support/isolate-claude.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["core/**/*.test.ts", "cli/**/*.test.ts", "test-support/**/*.test.ts", "renderer/**/*.test.ts", "renderer/**/*.test.tsx", "scripts/**/*.test.ts", "electron/**/*.test.ts"],
          exclude: ["**/node_modules/**", "dist/**", "e2e/**", REAL_CLAUDE, "test-support/real-agents/**/*.test.ts"],
        },
      },
      {
        // One Claude Code session walked step by step in a terminal: one file at a time, tests in order,
        // generous bounds (every wait inside polls the screen or the bus with its own deadline).
        extends: true,
        test: {
          name: "real-claude",
          include: [REAL_CLAUDE],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 240_000,
        },
      },
      { extends: true, test: { name: "real-agents", include: ["test-support/real-agents/**/*.test.ts"], fileParallelism: false, testTimeout: 180_000, hookTimeout: 240_000 } },
    ],
  },
});
