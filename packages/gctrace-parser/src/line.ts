import type { GcTraceEvent } from "./events.js";
import { parseTraceLine } from "./parse-line.js";

/**
 * Parses a single complete line (no repair, no newline). Returns the trace event,
 * or `undefined` when the line is not exactly one known trace line.
 *
 * @param text - The line.
 * @param line - Line number to store on the event (default 1).
 */
export function parseGcTraceLine(text: string, line = 1): GcTraceEvent | undefined {
  return parseTraceLine(text, 0, text.length, line);
}
