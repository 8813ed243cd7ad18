// Linear-time stand-ins for the unanchored regular expressions of
// google/pprof's legacy parsers. Go's regexp (RE2) never backtracks; the same
// patterns in a backtracking engine take quadratic or cubic time on long runs
// of digits, so a hostile line could stall the parser. Each helper returns
// what Go's FindStringSubmatch would, computed without that blow-up.

/**
 * Runs a sticky regexp only at the positions where a leftmost match can
 * start. `isStart(s, i)` must accept every such position: for the patterns
 * used here a match that starts inside a run of digits (or spaces) implies
 * one that starts where the run starts, and the leftmost match is the first
 * accepted position that matches.
 */
export function execAtStarts(
  sticky: RegExp,
  s: string,
  isStart: (s: string, i: number) => boolean,
): RegExpExecArray | null {
  for (let i = 0; i < s.length; i++) {
    if (!isStart(s, i)) continue;
    sticky.lastIndex = i;
    const m = sticky.exec(s);
    if (m) return m;
  }
  return null;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

/** Start of a digit run. */
export function digitRunStart(s: string, i: number): boolean {
  return isDigit(s[i]) && !isDigit(s[i - 1]);
}

/** A '-' or the start of a digit run (for patterns beginning with `-?[0-9]+`). */
export function signedRunStart(s: string, i: number): boolean {
  return s[i] === "-" || digitRunStart(s, i);
}

/** Start of a digit run or of a space run (for patterns beginning with ` *[0-9]+`). */
export function spaceOrDigitRunStart(s: string, i: number): boolean {
  return digitRunStart(s, i) || (s[i] === " " && s[i - 1] !== " ");
}

const isWordOrSpace = (c: string | undefined) => c !== undefined && /[0-9A-Za-z_ ]/.test(c);

/** Start of a run of `[0-9A-Za-z_ ]` (for `([\w ]+)=([\w ]+)`). */
export function wordRunStart(s: string, i: number): boolean {
  return isWordOrSpace(s[i]) && !isWordOrSpace(s[i - 1]);
}

/**
 * `(\d+) *(\d+) @([ x0-9a-f]*)` (contentionSampleRE), leftmost-first as Go
 * computes it. From the start of a digit run the regexp either takes the
 * whole run, spaces and a second run followed by " @", or, when the run is
 * directly followed by " @", splits off its last digit as the second number.
 */
export function matchContentionSample(s: string): [string, string, string] | undefined {
  for (let q = 0; q < s.length; q++) {
    if (!digitRunStart(s, q)) continue;
    let e1 = q;
    while (isDigit(s[e1])) e1++;
    let j = e1;
    while (s[j] === " ") j++;
    let e2 = j;
    while (isDigit(s[e2])) e2++;
    let g1: string | undefined;
    let g2: string | undefined;
    let rest = -1;
    if (j > e1 && e2 > j && s.startsWith(" @", e2)) {
      g1 = s.slice(q, e1);
      g2 = s.slice(j, e2);
      rest = e2 + 2;
    } else if (e1 - q >= 2 && s.startsWith(" @", e1)) {
      g1 = s.slice(q, e1 - 1);
      g2 = s.slice(e1 - 1, e1);
      rest = e1 + 2;
    }
    if (g1 === undefined || g2 === undefined) continue;
    let end = rest;
    while (end < s.length && /[ x0-9a-f]/.test(s[end] as string)) end++;
    return [g1, g2, s.slice(rest, end)];
  }
  return undefined;
}

const isSpace = (c: string | undefined) =>
  c === " " || c === "\t" || c === "\n" || c === "\f" || c === "\r";

/**
 * `^(.*)\s+\((.+):(-?\d+)\)$` (javaLocationFileLineRx) without backtracking:
 * the greedy first group ends at the last "(" preceded by white space after
 * which the rest matches; only the last ':' can precede the line number.
 */
export function matchJavaFileLine(s: string): [string, string, string] | undefined {
  if (!s.endsWith(")")) return undefined;
  const inner = s.slice(0, -1);
  // Whatever "(" is chosen, the line number follows the last ':'.
  const colon = inner.lastIndexOf(":");
  if (colon < 0 || !/^-?[0-9]+$/.test(inner.slice(colon + 1))) return undefined;
  // The file part (.+) must be non-empty: "(" at most two before the colon.
  for (
    let open = inner.lastIndexOf("(", colon - 2);
    open > 0;
    open = inner.lastIndexOf("(", open - 1)
  ) {
    if (!isSpace(inner[open - 1])) continue;
    return [inner.slice(0, open - 1), inner.slice(open + 1, colon), inner.slice(colon + 1)];
  }
  return undefined;
}

/** `^(.*)\s+\((.*)\)$` (javaLocationPathRx): the last "(" preceded by white space. */
export function matchJavaPath(s: string): [string, string] | undefined {
  if (!s.endsWith(")")) return undefined;
  const inner = s.slice(0, -1);
  for (let open = inner.lastIndexOf("("); open > 0; open = inner.lastIndexOf("(", open - 1)) {
    if (isSpace(inner[open - 1])) return [inner.slice(0, open - 1), inner.slice(open + 1)];
  }
  return undefined;
}
