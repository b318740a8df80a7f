import { defineConfig } from "vitest/config";

// Pure logic runs without servers; everything that speaks AWS runs against the emulators, which
// the global setup starts once for the run and stops at its end. A test of shared/ code that speaks
// AWS is named *.aws.test.ts.
export default defineConfig({
  test: {
    pool: "forks",
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/shared/**/*.test.ts"],
          exclude: ["test/shared/**/*.aws.test.ts"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "infra",
          include: ["test/infra/**/*.test.ts"],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: "aws",
          include: [
            "test/functions/**/*.test.ts",
            "test/local/**/*.test.ts",
            "test/e2e/**/*.test.ts",
            "test/shared/**/*.aws.test.ts",
          ],
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
