// Goroutine dumps: runtime/pprof's goroutine profile at debug=2 (which is
// runtime.Stack(buf, true)), and the same tracebacks in panic and crash
// output. The text comes from src/runtime/traceback.go:
//
//	goroutine 18 gp=0xc000102a80 m=nil [chan receive, 3 minutes, locked to thread]:
//	main.worker(0xc000010000, ...)          <- traceback2: name(args)
//		/src/main.go:23 +0x4c                 <- file:line +pc-entry [fp= sp= pc=]
//	main.helper(...)                        <- inlined frame: "(...)", no offset
//		/src/main.go:12
//	...5 frames elided...                   <- Go >= 1.21 (older: "...additional frames elided...")
//	created by main.main in goroutine 1     <- printcreatedby1 ("in goroutine N" since Go 1.21)
//		/src/main.go:14 +0x70
//	[originating from goroutine 7]:         <- printAncestorTraceback (GODEBUG=tracebackancestors=N)
//
// The header's bracket holds the status or wait reason, then optional
// " (leaked)", " (scan)", " (durable)", ", N minutes", ", locked to thread",
// ", synctest bubble N" and (GODEBUG=tracebacklabels=1) " labels:{…}"
// (goroutineheader). A goroutine whose traceback is malformed is dropped with
// a diagnostic naming the line, and parsing resumes at the next header, so a
// damaged or truncated dump still yields every intact goroutine.

import { MAX_DIAGNOSTICS } from "../model.js";
import { parseGoLabelSet } from "./go-string.js";
import { LineReader } from "./lines.js";

/** One frame of a goroutine's stack. */
export interface GoroutineFrame {
  /** Function name as printed, e.g. `"sync.(*WaitGroup).Wait"` (`"panic"` for runtime.gopanic). */
  func: string;
  /** The argument text between the parentheses, e.g. `"0xc000010000, 0x1"` or `"..."`. */
  args: string;
  /** Source file. */
  file: string;
  /** Source line. */
  line: number;
  /** `pc - entry` from the `+0x…` suffix; `undefined` when not printed. */
  pcOffset: number | undefined;
  /** True for a frame inlined into the frame printed after it (`(...)` and no offset). */
  inlined: boolean;
  /** Frame pointer, stack pointer and pc, printed with GOTRACEBACK=system and crashes. */
  fp?: bigint;
  /** Stack pointer (see {@link fp}). */
  sp?: bigint;
  /** Program counter (see {@link fp}). */
  pc?: bigint;
}

/** The `created by` record of a goroutine or ancestor. */
export interface GoroutineCreator {
  /** Function containing the `go` statement. */
  func: string;
  /** Source file. */
  file: string;
  /** Source line. */
  line: number;
  /** `pc - entry`, when printed. */
  pcOffset: number | undefined;
  /** The creating goroutine (`in goroutine N`, Go >= 1.21), when printed. */
  goroutine: number | undefined;
}

/** Where and how many frames the runtime left out of a long stack. */
export interface ElidedFrames {
  /** Index in `stack` where the omitted frames would be. */
  at: number;
  /** Number of frames omitted; `undefined` for "...additional frames elided..." (no count printed). */
  count: number | undefined;
}

/** An ancestor traceback (`[originating from goroutine N]:`), recorded at creation time. */
export interface GoroutineAncestor {
  /** The ancestor goroutine's id. */
  id: number;
  /** Its stack when it created the next goroutine down the chain. */
  stack: GoroutineFrame[];
  /** Set when the stack was cut. */
  elided: ElidedFrames | undefined;
  /** Its own creator. */
  createdBy: GoroutineCreator | undefined;
}

/** One goroutine of a dump. */
export interface Goroutine {
  /** Goroutine id. */
  id: number;
  /** Status or wait reason as printed, e.g. `"running"`, `"chan receive"`, `"sync.Mutex.Lock"`. */
  state: string;
  /** Minutes spent waiting (`, N minutes`); 0 when not printed. */
  waitMinutes: number;
  /** `, locked to thread`. */
  lockedToThread: boolean;
  /** ` (scan)`: the GC was scanning the stack. */
  scan: boolean;
  /** ` (leaked)`: reported by the goroutine leak detector. */
  leaked: boolean;
  /** ` (durable)`: durably blocked inside a synctest bubble. */
  durable: boolean;
  /** `, synctest bubble N`. */
  syncTestBubble: number | undefined;
  /** `labels:{…}` (GODEBUG=tracebacklabels=1), in printed order. */
  labels: [string, string][];
  /** Header parts not understood, kept verbatim. */
  otherHeaderParts: string[];
  /** `gp=` address (GOTRACEBACK=system or crash output). */
  gp: bigint | undefined;
  /** `m=` id, `null` for `m=nil`; `undefined` when not printed. */
  m: number | null | undefined;
  /** Frames, innermost first. */
  stack: GoroutineFrame[];
  /** Set when the runtime omitted middle frames of a long stack. */
  elided: ElidedFrames | undefined;
  /** True for "goroutine running on other thread; stack unavailable". */
  stackUnavailable: boolean;
  /** The creator; absent for goroutine 1 and runtime-created goroutines. */
  createdBy: GoroutineCreator | undefined;
  /** Ancestor tracebacks, nearest first. */
  ancestors: GoroutineAncestor[];
  /** 1-based line of the header. */
  line: number;
}

/** A recoverable problem in text input, with its 1-based line. */
export interface TextDiagnostic {
  /** Short kind: `"invalid-function-call"`, `"invalid-file-line"`, `"truncated"`, `"bad-header"`. */
  code: string;
  /** Human-readable detail. */
  message: string;
  /** 1-based line. */
  line: number;
}

/** A parsed goroutine dump. */
export interface GoroutineDump {
  /** Every goroutine whose traceback parsed completely, in dump order. */
  goroutines: Goroutine[];
  /** Goroutines skipped and other oddities (at most {@link MAX_DIAGNOSTICS}). */
  diagnostics: TextDiagnostic[];
  /** Diagnostics dropped past the cap. */
  diagnosticsDropped: number;
  /** The goroutine cut off by the end of the input (a truncated dump), with the frames read so far. */
  truncated: Goroutine | undefined;
}

// Every pattern uses the s flag: a line holds no "\n", but `.` must also
// match U+2028/U+2029, which may appear in names and paths.
const HEADER_RE =
  /^goroutine ([0-9]+)(?: gp=(0x[0-9a-f]+) m=([0-9]+|nil)(?: mp=0x[0-9a-f]+)?)? \[(.*)\]:$/s;
const FILE_RE =
  /^\t(.*):([0-9]+)(?: \+0x([0-9a-f]+))?(?: fp=(0x[0-9a-f]+) sp=(0x[0-9a-f]+) pc=(0x[0-9a-f]+))?[\t ]*$/s;
const CREATED_RE = /^created by (.+?)(?: in goroutine ([0-9]+))?$/s;
const ELIDED_RE = /^\.\.\.([0-9]+) frames elided\.\.\.$/;
const ANCESTOR_RE = /^\[originating from goroutine ([0-9]+)\]:$/;
const UNAVAILABLE = "goroutine running on other thread; stack unavailable";

/** True when `line` is a goroutine traceback header. */
export function isGoroutineHeader(line: string): boolean {
  return HEADER_RE.test(line);
}

/** Splits the header's bracket text into its parts (runtime/traceback.go goroutineheader). */
function readHeaderState(g: Goroutine, inner: string): void {
  let rest = inner;
  const labelsAt = rest.indexOf(" labels:{");
  if (labelsAt >= 0 && rest.endsWith("}")) {
    const set = parseGoLabelSet(rest.slice(labelsAt + " labels:".length));
    if (set) {
      g.labels = set;
      rest = rest.slice(0, labelsAt);
    }
  }
  const parts = rest.split(", ");
  let state = parts[0] ?? "";
  for (;;) {
    if (state.endsWith(" (scan)")) {
      g.scan = true;
      state = state.slice(0, -" (scan)".length);
    } else if (state.endsWith(" (leaked)")) {
      g.leaked = true;
      state = state.slice(0, -" (leaked)".length);
    } else if (state.endsWith(" (durable)")) {
      // Some wait reasons end in "(durable)" themselves and the header adds
      // the same suffix to others; both mean the same, so the state keeps it.
      g.durable = true;
      break;
    } else {
      break;
    }
  }
  g.state = state;
  for (const part of parts.slice(1)) {
    const minutes = /^([0-9]+) minutes$/.exec(part);
    const bubble = /^synctest bubble ([0-9]+)$/.exec(part);
    if (minutes) g.waitMinutes = Number(minutes[1]);
    else if (part === "locked to thread") g.lockedToThread = true;
    else if (bubble) g.syncTestBubble = Number(bubble[1]);
    else g.otherHeaderParts.push(part);
  }
}

/** Parses `name(args)`; undefined when the line is not a call. */
function readCall(line: string): { func: string; args: string } | undefined {
  if (!line.endsWith(")")) return undefined;
  const open = line.lastIndexOf("(");
  if (open <= 0) return undefined;
  const func = line.slice(0, open);
  if (/[\t ]/.test(func[0] as string) || func.endsWith(" ")) return undefined;
  return { func, args: line.slice(open + 1, -1) };
}

type Expect = "header" | "call" | "file" | "creator-file";

/** Options for {@link parseGoroutineDump}. */
export interface GoroutineDumpOptions {
  /** Stop after this many goroutines (default: no limit). */
  maxGoroutines?: number;
}

/**
 * Parses a goroutine dump (runtime/pprof goroutine profile at debug=2, or the
 * goroutine section of a panic/crash). Never throws on malformed text:
 * problems become {@link GoroutineDump.diagnostics}.
 */
export function parseGoroutineDump(
  input: string | Uint8Array,
  options: GoroutineDumpOptions = {},
): GoroutineDump {
  const r = new LineReader(input);
  const dump: GoroutineDump = {
    goroutines: [],
    diagnostics: [],
    diagnosticsDropped: 0,
    truncated: undefined,
  };
  const max = options.maxGoroutines ?? Number.POSITIVE_INFINITY;
  const report = (code: string, message: string, line: number) => {
    if (dump.diagnostics.length < MAX_DIAGNOSTICS) dump.diagnostics.push({ code, message, line });
    else dump.diagnosticsDropped++;
  };

  let expect: Expect = "header";
  let g: Goroutine | undefined;
  // The stack frames are appended to: the goroutine's, or its last ancestor's.
  let target: { stack: GoroutineFrame[]; elided: ElidedFrames | undefined } | undefined;
  let call: { func: string; args: string } | undefined;
  let creator: { func: string; goroutine: number | undefined } | undefined;

  const finish = () => {
    if (g) dump.goroutines.push(g);
    g = undefined;
    target = undefined;
    expect = "header";
  };
  const fail = (code: string, what: string, line: string, lineNo: number) => {
    report(code, `${what} on line ${lineNo}: ${JSON.stringify(line)}`, lineNo);
    g = undefined;
    target = undefined;
    expect = "header";
  };
  const start = (m: RegExpExecArray, lineNo: number) => {
    g = {
      id: Number(m[1]),
      state: "",
      waitMinutes: 0,
      lockedToThread: false,
      scan: false,
      leaked: false,
      durable: false,
      syncTestBubble: undefined,
      labels: [],
      otherHeaderParts: [],
      gp: m[2] !== undefined ? BigInt(m[2]) : undefined,
      m: m[3] === undefined ? undefined : m[3] === "nil" ? null : Number(m[3]),
      stack: [],
      elided: undefined,
      stackUnavailable: false,
      createdBy: undefined,
      ancestors: [],
      line: lineNo,
    };
    readHeaderState(g, m[4] as string);
    target = g;
    expect = "call";
  };

  let line: string | undefined;
  for (line = r.next(); line !== undefined; line = r.next()) {
    const lineNo = r.line;
    if (expect === "header") {
      if (dump.goroutines.length >= max) break;
      const m = HEADER_RE.exec(line);
      if (m) start(m, lineNo);
      continue;
    }
    const cur = g as Goroutine;
    const tgt = target as { stack: GoroutineFrame[]; elided: ElidedFrames | undefined };
    if (expect === "call") {
      const header = HEADER_RE.exec(line);
      if (line === "" || header) {
        const complete =
          tgt.stack.length > 0 || cur.stackUnavailable || (tgt !== cur && cur.stack.length > 0);
        if (complete) finish();
        else fail("invalid-function-call", "invalid function call", line, lineNo);
        if (header) start(header, lineNo);
        continue;
      }
      const elided = ELIDED_RE.exec(line);
      const created = CREATED_RE.exec(line);
      const ancestor = ANCESTOR_RE.exec(line);
      if (line === UNAVAILABLE) {
        cur.stackUnavailable = true;
      } else if (elided) {
        tgt.elided = { at: tgt.stack.length, count: Number(elided[1]) };
      } else if (line === "...additional frames elided...") {
        tgt.elided = { at: tgt.stack.length, count: undefined };
      } else if (created) {
        creator = {
          func: created[1] as string,
          goroutine: created[2] !== undefined ? Number(created[2]) : undefined,
        };
        expect = "creator-file";
      } else if (ancestor) {
        const a: GoroutineAncestor = {
          id: Number(ancestor[1]),
          stack: [],
          elided: undefined,
          createdBy: undefined,
        };
        cur.ancestors.push(a);
        target = a;
      } else {
        call = readCall(line);
        if (call) expect = "file";
        else fail("invalid-function-call", "invalid function call", line, lineNo);
      }
      continue;
    }
    // expect === "file" or "creator-file"
    const f = FILE_RE.exec(line);
    if (!f) {
      fail("invalid-file-line", "invalid file:line ref", line, lineNo);
      const header = HEADER_RE.exec(line);
      if (header) start(header, lineNo);
      continue;
    }
    const pcOffset = f[3] !== undefined ? Number.parseInt(f[3], 16) : undefined;
    if (expect === "file") {
      const c = call as { func: string; args: string };
      const frame: GoroutineFrame = {
        func: c.func,
        args: c.args,
        file: f[1] as string,
        line: Number(f[2]),
        pcOffset,
        inlined: c.args === "..." && pcOffset === undefined,
      };
      if (f[4] !== undefined) {
        frame.fp = BigInt(f[4]);
        frame.sp = BigInt(f[5] as string);
        frame.pc = BigInt(f[6] as string);
      }
      tgt.stack.push(frame);
    } else {
      const c = creator as { func: string; goroutine: number | undefined };
      const createdBy: GoroutineCreator = {
        func: c.func,
        file: f[1] as string,
        line: Number(f[2]),
        pcOffset,
        goroutine: c.goroutine,
      };
      if (tgt === cur) cur.createdBy = createdBy;
      else (tgt as GoroutineAncestor).createdBy = createdBy;
    }
    expect = "call";
  }
  if (g !== undefined) {
    const cur = g as Goroutine;
    const tgt = target as { stack: GoroutineFrame[] };
    const complete =
      expect === "call" && (tgt.stack.length > 0 || cur.stackUnavailable || cur.stack.length > 0);
    if (complete && line === undefined) {
      finish();
    } else if (line === undefined) {
      // The input ended inside a traceback (a dump cut at runtime/pprof's 64 MB
      // buffer, or a partial copy): report it where the next line would be.
      const what = expect === "call" ? "invalid function call" : "invalid file:line ref";
      report("truncated", `${what} on line ${r.line + 1}: "" (end of input)`, r.line + 1);
      dump.truncated = cur;
    } else {
      finish();
    }
  }
  return dump;
}
