// Re-runs the fixtures' heap generator with the installed Go and checks the
// fresh dump against the fresh sidecar (addresses differ on every run).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { readHeapDump } from "@tricolor/heapdump-reader";
import { describe, expect, it } from "vitest";
import {
  hasGo,
  parseAddressNumber,
  readFactsAt,
  runGenerator,
  type StructuresFacts,
} from "../../../fixtures/fixtures.js";

describe.skipIf(!hasGo())("regenerated heap fixtures (needs go on PATH)", () => {
  it("reads a freshly generated dump and matches its facts", { timeout: 300_000 }, () => {
    const out = mkdtempSync(join(tmpdir(), "heapdump-regen-"));
    const run = runGenerator("heap", out);
    const rel = "heap/structures.dump.gz";
    expect(run.files).toContain(rel);
    const bytes = new Uint8Array(gunzipSync(readFileSync(join(out, rel))));
    const facts = readFactsAt<StructuresFacts>(out, rel);
    const dump = readHeapDump(bytes);
    expect(dump.goVersion.startsWith(run.goVersion)).toBe(true);
    expect(BigInt(dump.objectCount)).toBe(dump.memStats?.HeapObjects);
    const o = dump.objects;
    facts.list.nodes.forEach((hex, i) => {
      const ordinal = dump.lookupObject(parseAddressNumber(hex));
      expect(o.addresses[ordinal]).toBe(parseAddressNumber(hex));
      let next = -1;
      for (let s = o.ptrStart[ordinal] as number; s < (o.ptrStart[ordinal + 1] as number); s++) {
        if (o.ptrOffsets[s] === facts.list.nextOffset) next = o.readPointer(s, ordinal);
      }
      const want = facts.list.nodes[i + 1];
      expect(next).toBe(want === undefined ? 0 : parseAddressNumber(want));
    });
  });
});
