// Generic decoding of one record body (after its tag), following the write
// order of src/runtime/heapdump.go. The fast object path of readHeapDump lives
// in build-index.ts; this one builds plain record objects.

import * as T from "./constants.js";
import { goroutineStatusName } from "./constants.js";
import type { Cursor } from "./cursor.js";
import { HeapDumpErrorCode } from "./errors.js";
import type {
  HeapDumpRecord,
  InterfaceField,
  MemProfFrame,
  MemStats,
  SegmentRecord,
} from "./types.js";

/** Names of the 24 scalar MemStats values before PauseNs, in dumpmemstats order. */
export const MEMSTATS_SCALARS = [
  "Alloc",
  "TotalAlloc",
  "Sys",
  "Lookups",
  "Mallocs",
  "Frees",
  "HeapAlloc",
  "HeapSys",
  "HeapIdle",
  "HeapInuse",
  "HeapReleased",
  "HeapObjects",
  "StackInuse",
  "StackSys",
  "MSpanInuse",
  "MSpanSys",
  "MCacheInuse",
  "MCacheSys",
  "BuckHashSys",
  "GCSys",
  "OtherSys",
  "NextGC",
  "LastGC",
  "PauseTotalNs",
] as const;

/** Length of `MemStats.PauseNs`. */
export const PAUSE_NS_LENGTH = 256;

export interface Fields {
  pointerOffsets: number[];
  interfaceFields: InterfaceField[];
}

/** A field list (`dumpfields`/`dumpbv`): kind/offset pairs ended by kind 0. */
export function readFields(c: Cursor): Fields {
  const pointerOffsets: number[] = [];
  const interfaceFields: InterfaceField[] = [];
  for (;;) {
    const at = c.pos;
    const kind = c.uvarint();
    if (kind === T.FIELD_EOL) break;
    const offset = c.uvarint();
    if (kind === T.FIELD_PTR) pointerOffsets.push(offset);
    else if (kind === T.FIELD_IFACE) interfaceFields.push({ kind: "iface", offset });
    else if (kind === T.FIELD_EFACE) interfaceFields.push({ kind: "eface", offset });
    else c.fail(HeapDumpErrorCode.BadFieldKind, `unknown field kind ${kind}`, at);
  }
  return { pointerOffsets, interfaceFields };
}

function readMemStats(c: Cursor): MemStats {
  const stats: Record<string, bigint | bigint[]> = {};
  for (const name of MEMSTATS_SCALARS) stats[name] = c.uvarintBig();
  const pause: bigint[] = new Array<bigint>(PAUSE_NS_LENGTH);
  for (let i = 0; i < PAUSE_NS_LENGTH; i++) pause[i] = c.uvarintBig();
  stats.PauseNs = pause;
  stats.NumGC = c.uvarintBig();
  return stats as unknown as MemStats;
}

function readSegment(c: Cursor, kind: "data" | "bss"): SegmentRecord {
  const address = c.uvarint();
  const contents = c.bytes();
  const { pointerOffsets, interfaceFields } = readFields(c);
  return { kind, address, contents, pointerOffsets, interfaceFields };
}

/**
 * Decodes the body of a record whose tag was just read at `tagOffset`.
 * Throws UNKNOWN_TAG for tags outside 1..17 (EOF is handled by callers).
 */
export function decodeRecordBody(c: Cursor, tag: number, tagOffset: number): HeapDumpRecord {
  switch (tag) {
    case T.TAG_OBJECT: {
      const address = c.uvarint();
      const contents = c.bytes();
      const { pointerOffsets, interfaceFields } = readFields(c);
      return { kind: "object", address, contents, pointerOffsets, interfaceFields };
    }
    case T.TAG_OTHER_ROOT: {
      const description = c.string();
      return { kind: "otherRoot", description, pointer: c.uvarint() };
    }
    case T.TAG_TYPE: {
      const address = c.uvarint();
      const size = c.uvarint();
      const name = c.string();
      return { kind: "type", address, size, name, indirect: c.bool() };
    }
    case T.TAG_GOROUTINE: {
      const address = c.uvarint();
      const stackPointer = c.uvarint();
      const id = c.uvarint();
      const creatorPc = c.uvarint();
      const status = c.uvarint();
      const isSystem = c.bool();
      const isBackground = c.bool();
      const waitSince = c.uvarint();
      const waitReason = c.string();
      const context = c.uvarint();
      const threadAddress = c.uvarint();
      const deferAddress = c.uvarint();
      const panicAddress = c.uvarint();
      return {
        kind: "goroutine",
        address,
        stackPointer,
        id,
        creatorPc,
        status,
        statusName: goroutineStatusName(status),
        isSystem,
        isBackground,
        waitSince,
        waitReason,
        context,
        threadAddress,
        deferAddress,
        panicAddress,
      };
    }
    case T.TAG_STACK_FRAME: {
      const stackPointer = c.uvarint();
      const depth = c.uvarint();
      const childStackPointer = c.uvarint();
      const contents = c.bytes();
      const entryPc = c.uvarint();
      const pc = c.uvarint();
      const continuationPc = c.uvarint();
      const functionName = c.string();
      const { pointerOffsets, interfaceFields } = readFields(c);
      return {
        kind: "stackFrame",
        stackPointer,
        depth,
        childStackPointer,
        contents,
        entryPc,
        pc,
        continuationPc,
        functionName,
        pointerOffsets,
        interfaceFields,
      };
    }
    case T.TAG_PARAMS: {
      const bigEndian = c.bool();
      const psAt = c.pos;
      const pointerSize = c.uvarint();
      if (pointerSize !== 4 && pointerSize !== 8) {
        c.fail(HeapDumpErrorCode.BadParams, `pointer size ${pointerSize} is not 4 or 8`, psAt);
      }
      const heapStart = c.uvarint();
      const heapEnd = c.uvarint();
      const arch = c.string();
      const goVersion = c.string();
      const numCpu = c.uvarint();
      return {
        kind: "params",
        bigEndian,
        pointerSize,
        heapStart,
        heapEnd,
        arch,
        goVersion,
        numCpu,
      };
    }
    case T.TAG_FINALIZER:
    case T.TAG_QUEUED_FINALIZER: {
      const objectAddress = c.uvarint();
      const funcAddress = c.uvarint();
      const functionPc = c.uvarint();
      const argTypeAddress = c.uvarint();
      const objectTypeAddress = c.uvarint();
      return {
        kind: tag === T.TAG_FINALIZER ? "finalizer" : "queuedFinalizer",
        objectAddress,
        funcAddress,
        functionPc,
        argTypeAddress,
        objectTypeAddress,
      };
    }
    case T.TAG_ITAB: {
      const address = c.uvarint();
      return { kind: "itab", address, typeAddress: c.uvarint() };
    }
    case T.TAG_OS_THREAD: {
      const address = c.uvarint();
      const id = c.uvarint();
      return { kind: "osThread", address, id, osId: c.uvarint() };
    }
    case T.TAG_MEMSTATS:
      return { kind: "memStats", stats: readMemStats(c) };
    case T.TAG_DATA:
      return readSegment(c, "data");
    case T.TAG_BSS:
      return readSegment(c, "bss");
    case T.TAG_DEFER: {
      const address = c.uvarint();
      const goroutineAddress = c.uvarint();
      const stackPointer = c.uvarint();
      const pc = c.uvarint();
      const funcAddress = c.uvarint();
      const functionPc = c.uvarint();
      const nextAddress = c.uvarint();
      return {
        kind: "defer",
        address,
        goroutineAddress,
        stackPointer,
        pc,
        funcAddress,
        functionPc,
        nextAddress,
      };
    }
    case T.TAG_PANIC: {
      const address = c.uvarint();
      const goroutineAddress = c.uvarint();
      const argTypeAddress = c.uvarint();
      const argDataAddress = c.uvarint();
      const deferAddress = c.uvarint();
      const nextAddress = c.uvarint();
      return {
        kind: "panic",
        address,
        goroutineAddress,
        argTypeAddress,
        argDataAddress,
        deferAddress,
        nextAddress,
      };
    }
    case T.TAG_MEMPROF: {
      const bucketAddress = c.uvarint();
      const size = c.uvarint();
      const nAt = c.pos;
      const n = c.uvarint();
      // Each frame takes at least 3 bytes: refuse counts the input cannot hold
      // before allocating anything sized by them.
      if (n > (c.end - c.pos) / 3) {
        c.fail(HeapDumpErrorCode.LengthOutOfRange, `stack depth ${n} exceeds the input`, nAt);
      }
      const frames: MemProfFrame[] = [];
      for (let i = 0; i < n; i++) {
        const functionName = c.string();
        const file = c.string();
        frames.push({ functionName, file, line: c.uvarint() });
      }
      const allocs = c.uvarint();
      return { kind: "memProf", bucketAddress, size, frames, allocs, frees: c.uvarint() };
    }
    case T.TAG_ALLOC_SAMPLE: {
      const objectAddress = c.uvarint();
      return { kind: "allocSample", objectAddress, bucketAddress: c.uvarint() };
    }
    default:
      return c.fail(HeapDumpErrorCode.UnknownTag, `unknown record tag ${tag}`, tagOffset);
  }
}
