// Record tags and field kinds, as in src/runtime/heapdump.go.

export const TAG_EOF = 0;
export const TAG_OBJECT = 1;
export const TAG_OTHER_ROOT = 2;
export const TAG_TYPE = 3;
export const TAG_GOROUTINE = 4;
export const TAG_STACK_FRAME = 5;
export const TAG_PARAMS = 6;
export const TAG_FINALIZER = 7;
export const TAG_ITAB = 8;
export const TAG_OS_THREAD = 9;
export const TAG_MEMSTATS = 10;
export const TAG_QUEUED_FINALIZER = 11;
export const TAG_DATA = 12;
export const TAG_BSS = 13;
export const TAG_DEFER = 14;
export const TAG_PANIC = 15;
export const TAG_MEMPROF = 16;
export const TAG_ALLOC_SAMPLE = 17;

export const FIELD_EOL = 0;
export const FIELD_PTR = 1;
export const FIELD_IFACE = 2;
export const FIELD_EFACE = 3;

/** The header every dump since Go 1.7 starts with (`dumphdr` in heapdump.go). */
export const HEADER = "go1.7 heap dump\n";

/** Record kind of each tag (index = tag; tag 0 is EOF). */
export const KIND_BY_TAG = [
  "eof",
  "object",
  "otherRoot",
  "type",
  "goroutine",
  "stackFrame",
  "params",
  "finalizer",
  "itab",
  "osThread",
  "memStats",
  "queuedFinalizer",
  "data",
  "bss",
  "defer",
  "panic",
  "memProf",
  "allocSample",
] as const;

// Goroutine statuses in src/runtime/runtime2.go. The numbering has been stable
// since Go 1.0 for 0..9; "leaked" (10) and "deadextra" (11) are Go 1.26 additions.
const STATUS_NAMES = [
  "idle",
  "runnable",
  "running",
  "syscall",
  "waiting",
  "moribund_unused",
  "dead",
  "enqueue_unused",
  "copystack",
  "preempted",
  "leaked",
  "deadextra",
];

/** `_Gscan` bit of runtime2.go: a status being scanned by the GC. */
const G_SCAN = 0x1000;

/** Name of a goroutine status as runtime2.go spells it (without `_G`), e.g. `"waiting"`. */
export function goroutineStatusName(status: number): string {
  const scan = status >= G_SCAN && status < 2 * G_SCAN;
  const name = STATUS_NAMES[scan ? status - G_SCAN : status];
  if (name === undefined) return `unknown(${status})`;
  return scan ? `scan+${name}` : name;
}
