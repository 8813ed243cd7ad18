import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readHeapDump, readHeapDumpRecords } from "@tricolor/heapdump-reader";
import { readHeapDumpFile, streamHeapDumpFile } from "@tricolor/heapdump-reader/node";
import { expect, it } from "vitest";
import { goVersions, readFixture } from "../../../fixtures/fixtures.js";

const bytes = readFixture(goVersions().at(-1) as string, "heap/structures.dump.gz");
const dir = mkdtempSync(join(tmpdir(), "heapdump-reader-"));
const file = join(dir, "structures.dump");
writeFileSync(file, bytes);

it("reads a file in chunks with progress", async () => {
  const progress: number[] = [];
  const dump = await readHeapDumpFile(file, {
    chunkSize: 100_000,
    onProgress: (done, total) => {
      expect(total).toBe(bytes.length);
      progress.push(done);
    },
  });
  expect(progress.length).toBe(Math.ceil(bytes.length / 100_000));
  expect(progress.at(-1)).toBe(bytes.length);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
  const inMemory = readHeapDump(bytes);
  expect(dump.objectCount).toBe(inMemory.objectCount);
  expect([...dump.objects.addresses]).toEqual([...inMemory.objects.addresses]);
});

it("streams a file with progress", async () => {
  let last = 0;
  const kinds: string[] = [];
  for await (const r of streamHeapDumpFile(file, {
    chunkSize: 7_000,
    onProgress: (done) => {
      last = done;
    },
  })) {
    kinds.push(r.kind);
  }
  expect(last).toBe(bytes.length);
  expect(kinds).toEqual([...readHeapDumpRecords(bytes)].map((r) => r.kind));
});

it("reports a missing file as a HeapDumpError with code IO", async () => {
  await expect(readHeapDumpFile(join(dir, "nope.dump"))).rejects.toMatchObject({
    name: "HeapDumpError",
    code: "IO",
  });
  const it = streamHeapDumpFile(join(dir, "nope.dump"));
  await expect(it.next()).rejects.toMatchObject({ name: "HeapDumpError", code: "IO" });
});
