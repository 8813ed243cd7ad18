import * as T from "./constants.js";
import { HEADER } from "./constants.js";
import { MEMSTATS_SCALARS, PAUSE_NS_LENGTH } from "./decode.js";
import { HeapDumpError, HeapDumpErrorCode } from "./errors.js";
import type { HeapDumpRecord, InterfaceField, MemStats } from "./types.js";

const utf8 = new TextEncoder();

/** Growable output buffer with the encodings `dumpint`/`dumpmemrange` use. */
class Out {
  buf = new Uint8Array(1024);
  len = 0;
  recordIndex = -1;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  fail(message: string): never {
    throw new HeapDumpError(HeapDumpErrorCode.BadRecord, message, this.len, {
      recordIndex: this.recordIndex,
    });
  }

  uint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) this.fail(`${v} is not a non-negative safe integer`);
    this.reserve(10);
    const buf = this.buf;
    let len = this.len;
    while (v >= 0x80) {
      buf[len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    buf[len++] = v;
    this.len = len;
  }

  big(v: bigint): void {
    if (v < 0n || v >= 1n << 64n) this.fail(`${v} is not a uint64`);
    this.reserve(10);
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
  }

  bool(b: boolean): void {
    this.uint(b ? 1 : 0);
  }

  bytes(b: Uint8Array): void {
    this.uint(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  string(s: string): void {
    this.bytes(utf8.encode(s));
  }

  fields(pointerOffsets: readonly number[], interfaceFields: readonly InterfaceField[]): void {
    for (const off of pointerOffsets) {
      this.uint(T.FIELD_PTR);
      this.uint(off);
    }
    for (const f of interfaceFields) {
      this.uint(f.kind === "iface" ? T.FIELD_IFACE : T.FIELD_EFACE);
      this.uint(f.offset);
    }
    this.uint(T.FIELD_EOL);
  }

  memStats(m: MemStats): void {
    for (const name of MEMSTATS_SCALARS) this.big(m[name]);
    if (m.PauseNs.length !== PAUSE_NS_LENGTH) this.fail("MemStats.PauseNs must have 256 values");
    for (const v of m.PauseNs) this.big(v);
    this.big(m.NumGC);
  }
}

/**
 * Encodes records as a heap dump, byte for byte in the layout of
 * `src/runtime/heapdump.go`: the header, the records in the given order, and
 * the EOF record. Interface fields are written after pointer fields.
 * Meant for tests and tools; `readHeapDumpRecords(writeHeapDump(r))` yields `r`.
 *
 * Throws {@link HeapDumpError} (code `BAD_RECORD`) for values the format
 * cannot carry (negative or fractional numbers, a `PauseNs` not of length 256).
 *
 * @example
 * ```ts
 * const bytes = writeHeapDump([
 *   { kind: "params", bigEndian: false, pointerSize: 8, heapStart: 0xc000000000,
 *     heapEnd: 0xc004000000, arch: "amd64", goVersion: "go1.26.8", numCpu: 2 },
 * ]);
 * ```
 */
export function writeHeapDump(records: Iterable<HeapDumpRecord>): Uint8Array {
  const o = new Out();
  for (let i = 0; i < HEADER.length; i++) o.buf[o.len++] = HEADER.charCodeAt(i);
  let index = 0;
  for (const r of records) {
    o.recordIndex = index++;
    switch (r.kind) {
      case "params":
        o.uint(T.TAG_PARAMS);
        o.bool(r.bigEndian);
        o.uint(r.pointerSize);
        o.uint(r.heapStart);
        o.uint(r.heapEnd);
        o.string(r.arch);
        o.string(r.goVersion);
        o.uint(r.numCpu);
        break;
      case "object":
        o.uint(T.TAG_OBJECT);
        o.uint(r.address);
        o.bytes(r.contents);
        o.fields(r.pointerOffsets, r.interfaceFields);
        break;
      case "otherRoot":
        o.uint(T.TAG_OTHER_ROOT);
        o.string(r.description);
        o.uint(r.pointer);
        break;
      case "type":
        o.uint(T.TAG_TYPE);
        o.uint(r.address);
        o.uint(r.size);
        o.string(r.name);
        o.bool(r.indirect);
        break;
      case "goroutine":
        o.uint(T.TAG_GOROUTINE);
        o.uint(r.address);
        o.uint(r.stackPointer);
        o.uint(r.id);
        o.uint(r.creatorPc);
        o.uint(r.status);
        o.bool(r.isSystem);
        o.bool(r.isBackground);
        o.uint(r.waitSince);
        o.string(r.waitReason);
        o.uint(r.context);
        o.uint(r.threadAddress);
        o.uint(r.deferAddress);
        o.uint(r.panicAddress);
        break;
      case "stackFrame":
        o.uint(T.TAG_STACK_FRAME);
        o.uint(r.stackPointer);
        o.uint(r.depth);
        o.uint(r.childStackPointer);
        o.bytes(r.contents);
        o.uint(r.entryPc);
        o.uint(r.pc);
        o.uint(r.continuationPc);
        o.string(r.functionName);
        o.fields(r.pointerOffsets, r.interfaceFields);
        break;
      case "finalizer":
      case "queuedFinalizer":
        o.uint(r.kind === "finalizer" ? T.TAG_FINALIZER : T.TAG_QUEUED_FINALIZER);
        o.uint(r.objectAddress);
        o.uint(r.funcAddress);
        o.uint(r.functionPc);
        o.uint(r.argTypeAddress);
        o.uint(r.objectTypeAddress);
        break;
      case "itab":
        o.uint(T.TAG_ITAB);
        o.uint(r.address);
        o.uint(r.typeAddress);
        break;
      case "osThread":
        o.uint(T.TAG_OS_THREAD);
        o.uint(r.address);
        o.uint(r.id);
        o.uint(r.osId);
        break;
      case "memStats":
        o.uint(T.TAG_MEMSTATS);
        o.memStats(r.stats);
        break;
      case "data":
      case "bss":
        o.uint(r.kind === "data" ? T.TAG_DATA : T.TAG_BSS);
        o.uint(r.address);
        o.bytes(r.contents);
        o.fields(r.pointerOffsets, r.interfaceFields);
        break;
      case "defer":
        o.uint(T.TAG_DEFER);
        o.uint(r.address);
        o.uint(r.goroutineAddress);
        o.uint(r.stackPointer);
        o.uint(r.pc);
        o.uint(r.funcAddress);
        o.uint(r.functionPc);
        o.uint(r.nextAddress);
        break;
      case "panic":
        o.uint(T.TAG_PANIC);
        o.uint(r.address);
        o.uint(r.goroutineAddress);
        o.uint(r.argTypeAddress);
        o.uint(r.argDataAddress);
        o.uint(r.deferAddress);
        o.uint(r.nextAddress);
        break;
      case "memProf":
        o.uint(T.TAG_MEMPROF);
        o.uint(r.bucketAddress);
        o.uint(r.size);
        o.uint(r.frames.length);
        for (const f of r.frames) {
          o.string(f.functionName);
          o.string(f.file);
          o.uint(f.line);
        }
        o.uint(r.allocs);
        o.uint(r.frees);
        break;
      case "allocSample":
        o.uint(T.TAG_ALLOC_SAMPLE);
        o.uint(r.objectAddress);
        o.uint(r.bucketAddress);
        break;
      default: {
        const never: never = r;
        o.fail(`unknown record kind ${JSON.stringify((never as { kind?: unknown }).kind)}`);
      }
    }
  }
  o.recordIndex = -1;
  o.uint(T.TAG_EOF);
  return o.buf.slice(0, o.len);
}
