// Reading strings that Go printed with %q (strconv.Quote), as runtime/pprof
// does for `# labels: {"key":"value", ...}` (runtime/pprof/label.go
// labelMap.String) and the runtime for traceback labels (runtime/traceback.go).

const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
const encoder = new TextEncoder();

const SIMPLE: Record<string, number> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  "\\": 92,
  "'": 39,
  '"': 34,
};

/**
 * Unquotes the Go double-quoted string starting at `s[start]` (which must be `"`).
 * Returns the value and the index just past the closing quote, or `undefined`
 * when the text is not a valid quoted string.
 */
export function readGoQuoted(s: string, start: number): { value: string; end: number } | undefined {
  if (s[start] !== '"') return undefined;
  const bytes: number[] = [];
  let i = start + 1;
  let plainStart = i;
  const flushPlain = (to: number) => {
    if (to > plainStart) for (const b of encoder.encode(s.slice(plainStart, to))) bytes.push(b);
  };
  while (i < s.length) {
    const c = s[i] as string;
    if (c === '"') {
      flushPlain(i);
      return { value: utf8.decode(new Uint8Array(bytes)), end: i + 1 };
    }
    if (c === "\n") return undefined;
    if (c !== "\\") {
      i++;
      continue;
    }
    flushPlain(i);
    const e = s[i + 1];
    if (e === undefined) return undefined;
    const simple = SIMPLE[e];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
    } else if (e === "x" || e === "u" || e === "U") {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = s.slice(i + 2, i + 2 + n);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) return undefined;
      const v = Number.parseInt(hex, 16);
      if (e === "x") bytes.push(v);
      else {
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
        for (const b of encoder.encode(String.fromCodePoint(v))) bytes.push(b);
      }
      i += 2 + n;
    } else if (e >= "0" && e <= "7") {
      const oct = s.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      const v = Number.parseInt(oct, 8);
      if (v > 255) return undefined;
      bytes.push(v);
      i += 4;
    } else {
      return undefined;
    }
    plainStart = i;
  }
  return undefined;
}

/**
 * Parses a label set as runtime/pprof prints it: `{"k":"v", "k2":"v2"}`
 * (keys and values %q-quoted, pairs joined by ", "). Also accepts the
 * traceback form `{"k": "v"}`. Returns `undefined` on malformed text.
 */
export function parseGoLabelSet(s: string): [string, string][] | undefined {
  const out: [string, string][] = [];
  let i = 0;
  const skipSpaces = () => {
    while (s[i] === " ") i++;
  };
  skipSpaces();
  if (s[i] !== "{") return undefined;
  i++;
  skipSpaces();
  if (s[i] === "}") {
    i++;
    skipSpaces();
    return i === s.length ? out : undefined;
  }
  for (;;) {
    const k = readGoQuoted(s, i);
    if (!k) return undefined;
    i = k.end;
    if (s[i] !== ":") return undefined;
    i++;
    skipSpaces();
    const v = readGoQuoted(s, i);
    if (!v) return undefined;
    i = v.end;
    out.push([k.value, v.value]);
    if (s[i] === "}") {
      i++;
      skipSpaces();
      return i === s.length ? out : undefined;
    }
    if (s[i] !== ",") return undefined;
    i++;
    skipSpaces();
  }
}

/** Quotes `s` the way Go's %q does for printable text (used by the test writers). */
export function quoteGo(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (cp === 7) out += "\\a";
    else if (cp === 8) out += "\\b";
    else if (cp === 12) out += "\\f";
    else if (cp === 10) out += "\\n";
    else if (cp === 13) out += "\\r";
    else if (cp === 9) out += "\\t";
    else if (cp === 11) out += "\\v";
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (cp > 0x7f && /^[\p{C}\p{Z}]$/u.test(ch)) {
      // Not printable for Go's unicode.IsPrint (only the ASCII space is).
      out +=
        cp > 0xffff
          ? `\\U${cp.toString(16).padStart(8, "0")}`
          : `\\u${cp.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return `${out}"`;
}
