import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The page imports the four packages from their TypeScript sources through the
// "@tricolor/source" export condition, so the viewer runs without building them.
export default defineConfig({
  root: fileURLToPath(new URL("./web", import.meta.url)),
  base: "./",
  resolve: {
    conditions: ["@tricolor/source", "module", "browser", "development|production"],
  },
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
  },
  server: { host: "127.0.0.1" },
  // Pre-bundle the one third-party browser dependency (pprof-proto's gzip
  // codec) at startup, so a first visit never triggers Vite's
  // "new dependencies found, reloading" mid-session.
  optimizeDeps: { include: ["@tricolor/pprof-proto > fflate"] },
});
