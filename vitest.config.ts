import { defineConfig } from "vitest/config";

// Tests run on the packages' sources through the "@tricolor/source" export
// condition, so no package has to be built before another one's tests.
const conditions = ["@tricolor/source", "module", "node", "import", "default"];

const packages = ["heapdump-reader", "object-graph", "gctrace-parser", "pprof-proto"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@tricolor/source"] } },
  test: {
    // Property tests on real dumps are CPU-bound; give them room on a 2-core CI box.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        test: {
          name,
          root: `packages/${name}`,
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
        },
      })),
      {
        extends: true as const,
        test: {
          name: "examples",
          root: "examples",
          include: ["**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/dist/**"],
        },
      },
      {
        extends: true as const,
        test: { name: "fixtures", root: "fixtures", include: ["**/*.test.ts"] },
      },
    ],
  },
});
