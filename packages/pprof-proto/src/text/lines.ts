// Line splitting with the semantics of Go's bufio.ScanLines (the scanner every
// legacy parser in google/pprof's profile/legacy_profile.go reads with): lines
// end at "\n", a trailing "\r" is dropped, and a last line without "\n" still
// counts. Byte input is decoded in chunks cut at newlines, so a large dump is
// never turned into one giant string.

const CHUNK = 1 << 20;

const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** Reads lines one at a time from a string or UTF-8 bytes, counting 1-based line numbers. */
export class LineReader {
  readonly #bytes: Uint8Array | undefined;
  #bytePos = 0;
  #text: string;
  #pos = 0;
  #line = 0;
  #terminated = false;
  #current = "";

  constructor(input: string | Uint8Array) {
    if (typeof input === "string") {
      this.#text = input;
      this.#bytes = undefined;
    } else {
      this.#text = "";
      this.#bytes = input;
      this.#refill();
    }
  }

  /** 1-based number of the line last returned by {@link next} (0 before the first). */
  get line(): number {
    return this.#line;
  }

  /** True when the line last returned ended with a newline. */
  get terminated(): boolean {
    return this.#terminated;
  }

  /**
   * bufio.Scanner style: advances to the next line and returns true, or
   * returns false at the end, after which {@link text} is `""` (as Go's is).
   */
  scan(): boolean {
    const l = this.next();
    this.#current = l ?? "";
    return l !== undefined;
  }

  /** The line the last {@link scan} read (`""` after the end). */
  text(): string {
    return this.#current;
  }

  /** The next line without its terminator, or `undefined` at the end of input. */
  next(): string | undefined {
    if (this.#pos >= this.#text.length) {
      if (!this.#refill()) return undefined;
    }
    const text = this.#text;
    let nl = text.indexOf("\n", this.#pos);
    let line: string;
    if (nl < 0) {
      nl = text.length;
      this.#terminated = false;
    } else {
      this.#terminated = true;
    }
    line = text.slice(this.#pos, nl);
    this.#pos = nl + 1;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    this.#line++;
    return line;
  }

  /** Decodes the next chunk of bytes, cut after a newline; false at the end of the bytes. */
  #refill(): boolean {
    const b = this.#bytes;
    if (!b || this.#bytePos >= b.length) return false;
    let end = Math.min(b.length, this.#bytePos + CHUNK);
    if (end < b.length) {
      const nl = b.lastIndexOf(0x0a, end - 1);
      // A line longer than a chunk: extend to its end instead.
      end = nl >= this.#bytePos ? nl + 1 : nextNewline(b, end);
    }
    this.#text = utf8.decode(b.subarray(this.#bytePos, end));
    this.#bytePos = end;
    this.#pos = 0;
    return this.#text.length > 0 || this.#refill();
  }
}

function nextNewline(b: Uint8Array, from: number): number {
  const nl = b.indexOf(0x0a, from);
  return nl < 0 ? b.length : nl + 1;
}

/** Go's strings.TrimSpace for ASCII white space. */
export function trimSpace(s: string): string {
  return s.replace(/^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g, "");
}

/** True for a blank line or one whose first non-space character is `#` (legacy_profile.go isSpaceOrComment). */
export function isSpaceOrComment(line: string): boolean {
  const t = trimSpace(line);
  return t.length === 0 || t[0] === "#";
}

/** Decodes bytes as UTF-8 (invalid sequences become U+FFFD, as the rest of the package does). */
export function decodeUtf8(b: Uint8Array): string {
  return utf8.decode(b);
}
