/**
 * A progress bar on stderr for long work (marking a large heap, building
 * dominators). It draws only when stderr is a terminal, so redirected output,
 * pipes, CI logs and tests never see it, and it redraws at most ten times a
 * second so that it costs nothing measurable in hot loops.
 */

/** The part of a writable stream the bar needs. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): boolean;
}

/** A one-line progress bar; see the module comment. */
export class ProgressBar {
  readonly #stream: ProgressStream;
  readonly #label: string;
  readonly #total: number;
  readonly #enabled: boolean;
  #lastDraw = 0;
  #drawn = false;

  /**
   * @param label text left of the bar
   * @param total the amount of work `update(done)` counts towards
   * @param stream defaults to `process.stderr`
   */
  constructor(label: string, total: number, stream: ProgressStream = process.stderr) {
    this.#stream = stream;
    this.#label = label;
    this.#total = Math.max(1, total);
    this.#enabled = stream.isTTY === true;
  }

  /** Whether anything will be drawn at all. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /** Reports progress; cheap to call often. */
  update(done: number, detail = ""): void {
    if (!this.#enabled) return;
    const now = Date.now();
    if (now - this.#lastDraw < 100 && done < this.#total) return;
    this.#lastDraw = now;
    const columns = this.#stream.columns || 80;
    const fraction = Math.min(1, Math.max(0, done / this.#total));
    const percent = `${(fraction * 100).toFixed(0).padStart(3)}%`;
    const suffix = detail === "" ? "" : ` ${detail}`;
    const room = columns - this.#label.length - percent.length - suffix.length - 5;
    const width = Math.max(10, Math.min(40, room));
    const filled = Math.round(fraction * width);
    const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
    const text = `${this.#label} ${bar} ${percent}${suffix}`.slice(0, columns - 1);
    this.#stream.write(`\r\x1b[2K${text}`);
    this.#drawn = true;
  }

  /** Erases the bar so the next output starts on a clean line. */
  finish(): void {
    if (this.#drawn) this.#stream.write("\r\x1b[2K");
    this.#drawn = false;
  }
}

/**
 * A single status line on stderr that is rewritten in place (the live
 * summary of `tricolor run`). Silent when stderr is not a terminal.
 */
export class StatusLine {
  readonly #stream: ProgressStream;
  readonly #enabled: boolean;
  #drawn = false;

  constructor(stream: ProgressStream = process.stderr) {
    this.#stream = stream;
    this.#enabled = stream.isTTY === true;
  }

  /** Whether the line is drawn at all. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /** Replaces the line's text. */
  set(text: string): void {
    if (!this.#enabled) return;
    const columns = this.#stream.columns || 80;
    this.#stream.write(`\r\x1b[2K${text.slice(0, columns - 1)}`);
    this.#drawn = true;
  }

  /** Erases the line (call before writing anything else to the stream). */
  clear(): void {
    if (this.#drawn) this.#stream.write("\r\x1b[2K");
    this.#drawn = false;
  }
}
