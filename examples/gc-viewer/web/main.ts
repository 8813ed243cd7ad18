import { isHeapDumpError } from "@tricolor/heapdump-reader";
import { isObjectGraphError } from "@tricolor/object-graph";
import { isPprofError } from "@tricolor/pprof-proto";
import {
  gunzipBytes,
  isGzipBytes,
  isHeapDumpBytes,
  type LoadedDump,
  loadDump,
} from "./heap-model.js";
import { HeapView } from "./heap-view.js";
import { LiveView } from "./live-view.js";
import { PprofView } from "./pprof-view.js";
import { testState } from "./state.js";

interface Listed {
  name: string;
  source: string;
  url: string;
  bytes: number;
}

function el<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`missing #${id}`);
  return e as T;
}

/** One line for the error bar: the package's code and position when it has them. */
function describeError(e: unknown, what: string): string {
  if (isHeapDumpError(e) || isPprofError(e)) {
    const err = e as Error & { code: string; offset?: number };
    return `${what}: ${err.code} at byte ${err.offset ?? "?"}: ${err.message}`;
  }
  if (isObjectGraphError(e))
    return `${what}: ${(e as Error & { code: string }).code}: ${(e as Error).message}`;
  return `${what}: ${e instanceof Error ? e.message : String(e)}`;
}

function showError(msg: string | undefined): void {
  const bar = el("error");
  bar.hidden = msg === undefined;
  bar.textContent = msg ?? "";
  bar.title = msg ?? "";
  if (msg !== undefined) {
    testState.errors.push(msg);
    console.error(msg);
  }
}

const heap = new HeapView();
window.__tricolorProbe = heap.probe;
const live = new LiveView();
const pprof = new PprofView();

function selectTab(name: string): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>(".tab")) {
    b.classList.toggle("active", b.dataset.tab === name);
  }
  for (const s of document.querySelectorAll<HTMLElement>(".tab-body")) {
    s.classList.toggle("active", s.id === `tab-${name}`);
  }
  heap.visible = name === "heap";
  live.visible = name === "live";
  pprof.visible = name === "pprof";
  if (name === "pprof") pprof.draw();
}
for (const b of document.querySelectorAll<HTMLButtonElement>(".tab")) {
  b.onclick = () => selectTab(b.dataset.tab ?? "heap");
}

/** Says what is being parsed and lets the browser paint that before the (synchronous) parse. */
async function busy(what: string): Promise<void> {
  el("dump-info").textContent = what;
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

let dumpList: Listed[] = [];

async function loadFromServer(entries: Listed[]): Promise<void> {
  showError(undefined);
  try {
    const loaded: LoadedDump[] = [];
    for (const d of entries) {
      const bytes = await fetchBytes(d.url);
      await busy(`parsing ${d.name} (${(bytes.length / 2 ** 20).toFixed(1)} MiB)…`);
      loaded.push(loadDump(d.name, bytes));
    }
    heap.setDumps(loaded, 0);
    selectTab("heap");
  } catch (e) {
    showError(describeError(e, entries.map((d) => d.name).join(", ")));
  }
}

/** A dropped or opened file: heap dump or pprof profile, gzipped or not. */
async function openFile(file: File): Promise<void> {
  showError(undefined);
  try {
    let bytes: Uint8Array = new Uint8Array(await file.arrayBuffer());
    const raw = bytes;
    if (isGzipBytes(bytes)) bytes = await gunzipBytes(bytes);
    if (isHeapDumpBytes(bytes)) {
      await busy(`parsing ${file.name} (${(bytes.length / 2 ** 20).toFixed(1)} MiB)…`);
      heap.setDumps([loadDump(file.name.replace(/\.gz$/, ""), bytes)], 0);
      selectTab("heap");
    } else {
      // Anything else is taken for a profile; its decoder handles gzip itself.
      pprof.load(file.name, raw);
      selectTab("pprof");
    }
  } catch (e) {
    showError(describeError(e, file.name));
  }
}

async function init(): Promise<void> {
  try {
    const res = (await (await fetch("/api/dumps")).json()) as { dumps: Listed[] };
    dumpList = res.dumps;
    el<HTMLSelectElement>("dump-list").innerHTML = dumpList
      .map((d, i) => `<option value="${i}">${d.source}/${d.name}</option>`)
      .join("");
    const profiles = (await (await fetch("/api/profiles")).json()) as { profiles: Listed[] };
    el<HTMLSelectElement>("profile-list").innerHTML = profiles.profiles
      .map((d) => `<option value="${d.url}">${d.source}/${d.name}</option>`)
      .join("");
    el("load-profile").onclick = async () => {
      const sel = el<HTMLSelectElement>("profile-list");
      const name = sel.selectedOptions[0]?.textContent ?? "profile";
      try {
        pprof.load(name, await fetchBytes(sel.value));
        selectTab("pprof");
      } catch (e) {
        showError(describeError(e, name));
      }
    };
    const params = new URLSearchParams(location.search);
    const wanted = params.get("dump");
    const first =
      dumpList.find((d) => d.name === wanted) ??
      dumpList.find((d) => d.name.startsWith("structures")) ??
      dumpList[0];
    if (first !== undefined) {
      el<HTMLSelectElement>("dump-list").value = String(dumpList.indexOf(first));
      await loadFromServer([first]);
    }
    if (params.get("tab") !== null) selectTab(params.get("tab") as string);
  } catch (e) {
    showError(describeError(e, "server"));
  }
}

el("load-dump").onclick = () => {
  const d = dumpList[Number(el<HTMLSelectElement>("dump-list").value)];
  if (d !== undefined) void loadFromServer([d]);
};
el("load-timeline").onclick = () => {
  const series = dumpList.filter((d) => /^timeline-\d+\.dump$/.test(d.name));
  series.sort((a, b) => Number(/\d+/.exec(a.name)?.[0]) - Number(/\d+/.exec(b.name)?.[0]));
  if (series.length > 0) void loadFromServer(series);
};
el<HTMLInputElement>("file-input").onchange = (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (f !== undefined) void openFile(f);
};

window.addEventListener("dragover", (e) => {
  e.preventDefault();
  document.body.classList.add("dragging");
});
window.addEventListener("dragleave", () => document.body.classList.remove("dragging"));
window.addEventListener("drop", (e) => {
  e.preventDefault();
  document.body.classList.remove("dragging");
  const f = e.dataTransfer?.files[0];
  if (f !== undefined) void openFile(f);
});

// Live dumps go to the end of the heap timeline, diffed against the previous one.
live.onDump = (url, name) => {
  void (async () => {
    try {
      heap.appendDump(loadDump(name, await fetchBytes(url)));
      showError(undefined);
      testState.live.dumpsLoaded++;
    } catch (e) {
      showError(describeError(e, name));
    }
  })();
};

void init();
