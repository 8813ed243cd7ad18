/**
 * The GC viewer's server: serves the page (built files from `dist/`, or Vite
 * in middleware mode with `--dev` / when nothing is built), the bundled
 * fixtures, and live mode — a Go workload run under
 * `GODEBUG=gctrace=1,gcpacertrace=1` whose parsed trace events and heap dumps
 * stream to the page as server-sent events. Listens on 127.0.0.1 only.
 *
 *   pnpm viewer                     # http://127.0.0.1:5178/
 *   pnpm viewer --port 8080 --dev
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { FixtureCatalog } from "./fixtures-api.js";
import { type LiveMessage, LiveSession, toJson } from "./live.js";

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = resolve(here, "..");
const repoRoot = resolve(packageDir, "..", "..");

/** Options of {@link startViewerServer}. */
export interface ViewerServerOptions {
  /** TCP port (0 picks a free one). */
  readonly port: number;
  /** Use Vite's dev middleware even when `dist/` exists. */
  readonly dev?: boolean;
  /** Directory holding `go<version>/` fixture directories. */
  readonly fixturesDir?: string;
  /** The fixtures Go module (home of `cmd/gcload`). */
  readonly genDir?: string;
}

/** A running viewer server. */
export interface ViewerServer {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  /** Whether the page comes from `dist/` or from Vite's dev middleware. */
  readonly mode: "dist" | "vite";
  /** Stops the live workload, Vite and the HTTP server. */
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".map": "application/json",
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(toJson(body));
}

function sendBytes(res: ServerResponse, bytes: Uint8Array | undefined): void {
  if (bytes === undefined) {
    sendJson(res, 404, { error: "not found" });
    return;
  }
  res.writeHead(200, {
    "content-type": "application/octet-stream",
    "content-length": bytes.byteLength,
    "cache-control": "no-store",
  });
  res.end(bytes);
}

function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const v = Number(url.searchParams.get(name));
  if (!Number.isFinite(v) || url.searchParams.get(name) === null) return fallback;
  return Math.min(max, Math.max(min, Math.round(v)));
}

/**
 * Whether `dist/` holds a build at least as new as every page source: a
 * stale build would show yesterday's page, so the server then runs Vite.
 */
function distIsFresh(distDir: string, webDir: string): boolean {
  const index = join(distDir, "index.html");
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return readdirSync(webDir).every((f) => statSync(join(webDir, f)).mtimeMs <= built);
}

/** Starts the server; resolves once it listens. */
export async function startViewerServer(options: ViewerServerOptions): Promise<ViewerServer> {
  const catalog = new FixtureCatalog(options.fixturesDir ?? join(repoRoot, "fixtures"));
  const live = new LiveSession(options.genDir ?? join(repoRoot, "fixtures", "gen"));
  const distDir = join(packageDir, "dist");
  const useDist = options.dev !== true && distIsFresh(distDir, join(packageDir, "web"));
  const sseClients = new Set<ServerResponse>();
  let stopTimer: NodeJS.Timeout | undefined;

  // biome-ignore lint/suspicious/noExplicitAny: Vite's dev server type is only needed here.
  let vite: any;
  if (!useDist) {
    const { createServer: createVite } = await import("vite");
    vite = await createVite({
      configFile: join(packageDir, "vite.config.ts"),
      server: { middlewareMode: true, hmr: false },
      appType: "spa",
      logLevel: "warn",
    });
  }

  const api = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const parts = url.pathname
      .split("/")
      .filter((p) => p !== "")
      .map(decodeURIComponent);
    if (parts[0] !== "api") return false;
    const route = parts.slice(1);
    if (req.method === "GET" && route.length === 1 && route[0] === "dumps") {
      sendJson(res, 200, { version: catalog.version, dumps: catalog.dumps() });
    } else if (req.method === "GET" && route[0] === "dumps" && route.length === 3) {
      sendBytes(res, catalog.readDump(route[1] as string, route[2] as string));
    } else if (req.method === "GET" && route.length === 1 && route[0] === "profiles") {
      sendJson(res, 200, { version: catalog.version, profiles: catalog.profiles() });
    } else if (req.method === "GET" && route[0] === "profiles" && route.length === 3) {
      sendBytes(res, catalog.readProfile(route[1] as string, route[2] as string));
    } else if (req.method === "GET" && route[0] === "live" && route[1] === "events") {
      openEvents(req, res, url);
    } else if (req.method === "POST" && route[0] === "live" && route[1] === "dump") {
      sendJson(res, 200, { requested: live.requestDump() });
    } else if (req.method === "POST" && route[0] === "live" && route[1] === "stop") {
      live.stop();
      sendJson(res, 200, { stopped: true });
    } else if (req.method === "GET" && route[0] === "live" && route[1] === "dumps") {
      if (route.length === 2) sendJson(res, 200, { dumps: live.listDumps() });
      else sendBytes(res, live.readDump(route[2] as string));
    } else {
      sendJson(res, 404, { error: `no route ${req.method} ${url.pathname}` });
    }
    return true;
  };

  // One SSE stream per page. The first one starts the workload; when the last
  // one goes away the workload stops after a grace period (a reload reconnects).
  const openEvents = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    res.write(": tricolor live\n\n");
    sseClients.add(res);
    if (stopTimer !== undefined) clearTimeout(stopTimer);
    const send = (m: LiveMessage): void => {
      res.write(`event: ${m.type}\ndata: ${toJson(m)}\n\n`);
    };
    const unlisten = live.listen(send);
    const ping = setInterval(() => res.write(": ping\n\n"), 15_000);
    req.on("close", () => {
      clearInterval(ping);
      unlisten();
      sseClients.delete(res);
      if (sseClients.size === 0) stopTimer = setTimeout(() => live.stop(), 3000);
    });
    void live.start({
      live: intParam(url, "live", 20000, 100, 2_000_000),
      gogc: intParam(url, "gogc", 25, 1, 1000),
      dumpEverySeconds: intParam(url, "dumpEvery", 4, 0, 3600),
    });
  };

  const serveDist = (res: ServerResponse, url: URL): void => {
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, "");
    let file = resolve(distDir, rel);
    if (!file.startsWith(distDir + sep) || !existsSync(file) || extname(file) === "") {
      file = join(distDir, "index.html");
    }
    res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    api(req, res, url)
      .then((handled) => {
        if (handled) return;
        if (useDist) serveDist(res, url);
        else
          vite.middlewares(req, res, () => {
            res.writeHead(404);
            res.end();
          });
      })
      .catch((e: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: (e as Error).message });
        else res.end();
      });
  });

  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    // Loopback only: the viewer runs programs and reads local files.
    server.listen(options.port, "127.0.0.1", () => ok());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;

  let closed = false;
  return {
    server,
    port,
    mode: useDist ? "dist" : "vite",
    url: `http://127.0.0.1:${port}/`,
    async close() {
      if (closed) return;
      closed = true;
      if (stopTimer !== undefined) clearTimeout(stopTimer);
      for (const res of sseClients) res.end();
      live.dispose();
      if (vite !== undefined) await vite.close();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

function parseArgs(argv: readonly string[]): { port: number; dev: boolean } {
  let port = Number(process.env.TRICOLOR_VIEWER_PORT ?? process.env.PORT ?? 5178);
  let dev = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--dev") dev = true;
    else if (a === "--port") port = Number(argv[++i]);
    else if (a.startsWith("--port=")) port = Number(a.slice(7));
    else if (a === "--help" || a === "-h") {
      console.log("usage: gc-viewer [--port N] [--dev]   (env TRICOLOR_VIEWER_PORT, PORT)");
      process.exit(0);
    } else {
      console.error(`gc-viewer: unknown argument ${a}`);
      process.exit(1);
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`gc-viewer: bad port ${port}`);
    process.exit(1);
  }
  return { port, dev };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const viewer = await startViewerServer(args);
  // Tests read this line to find the port.
  console.log(`gc-viewer listening on ${viewer.url}`);
  console.log(
    viewer.mode === "dist"
      ? "serving the built page from dist/"
      : "serving the page through Vite (sources)",
  );
  const shutdown = (): void => {
    void viewer.close().then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
