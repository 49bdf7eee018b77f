// Test runner configuration: unit and integration tests live next to the code they test.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["core/**/*.test.ts", "cli/**/*.test.ts", "test-support/**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**", "e2e/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
