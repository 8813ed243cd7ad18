/**
 * Text formatting shared by the commands: aligned tables, byte sizes,
 * durations, percentages. Everything returns strings; printing is the
 * caller's business so that the same helpers serve golden tests.
 */

/** Alignment of one table column. */
export type Align = "left" | "right";

/** One column of {@link formatTable}. */
export interface Column {
  /** Header text. */
  header: string;
  /** Defaults to "right" (numbers), use "left" for names. */
  align?: Align;
}

/**
 * Lays out rows as a plain-text table: columns separated by two spaces,
 * headers underlined by nothing (the headers line is enough on a terminal),
 * trailing spaces trimmed. The last left-aligned column is not padded, so
 * long function names do not widen the whole table.
 */
export function formatTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string {
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, i) => {
        const cell = cells[i] ?? "";
        const width = widths[i]!;
        if (column.align === "left") return i === columns.length - 1 ? cell : cell.padEnd(width);
        return cell.padStart(width);
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join("\n");
}

const byteUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] as const;

/**
 * Binary-prefixed byte size with three significant digits: `512 B`,
 * `1.5 KiB`, `23.4 MiB`, `117 MiB`. Negative sizes (in diffs) keep their sign.
 */
export function formatBytes(bytes: number | bigint): string {
  const n = typeof bytes === "bigint" ? Number(bytes) : bytes;
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? "-" : "";
  let value = Math.abs(n);
  let unit = 0;
  while (value >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${sign}${value} B`;
  return `${sign}${significant(value)} ${byteUnits[unit]}`;
}

/** Like {@link formatBytes} but always with a sign, for diffs. */
export function formatBytesDelta(bytes: number): string {
  return bytes > 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes);
}

/** Three significant digits, without trailing zeros (`58`, `1.2`, `4.56`). */
function significant(value: number): string {
  const fixed = value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 2);
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

/**
 * A duration given in milliseconds, in the unit that keeps it readable:
 * `850ns`, `12.3µs`, `4.56ms`, `1.2s`, `3m05s`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  if (abs === 0) return "0s";
  if (abs < 0.001) return `${sign}${Math.round(abs * 1e6)}ns`;
  if (abs < 1) return `${sign}${significant(abs * 1000)}µs`;
  if (abs < 1000) return `${sign}${significant(abs)}ms`;
  if (abs < 60_000) return `${sign}${significant(abs / 1000)}s`;
  const minutes = Math.floor(abs / 60_000);
  const seconds = Math.round((abs % 60_000) / 1000);
  return `${sign}${minutes}m${String(seconds).padStart(2, "0")}s`;
}

/** `part / whole` as a percentage with the given decimals; `-` when whole is 0. */
export function formatPercent(part: number, whole: number, decimals = 1): string {
  if (whole === 0) return "-";
  return `${((part / whole) * 100).toFixed(decimals)}%`;
}

/** An integer with thin grouping (`1,234,567`), for counts. */
export function formatCount(n: number | bigint): string {
  const text = typeof n === "bigint" ? n.toString() : Math.trunc(n).toString();
  const negative = text.startsWith("-");
  const digits = negative ? text.slice(1) : text;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return negative ? `-${grouped}` : grouped;
}

/** A Go pointer value as `0xc000012345`. */
export function formatAddress(address: number | bigint): string {
  return `0x${address.toString(16)}`;
}

/** Cuts `text` to `width` characters with a trailing `…` when it is longer. */
export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return text.slice(0, width);
  return `${text.slice(0, width - 1)}…`;
}

/** A section title followed by a rule of the same width. */
export function heading(title: string): string {
  return `${title}\n${"-".repeat(title.length)}`;
}

/**
 * Serialises a value for `--json`: bigints become decimal strings (the
 * project convention for 64-bit values above 2^53), typed arrays become plain
 * arrays, Maps become objects.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === "bigint") return v.toString();
      if (v instanceof Map) return Object.fromEntries(v);
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
        return Array.from(v as unknown as ArrayLike<number | bigint>, (x) =>
          typeof x === "bigint" ? x.toString() : x,
        );
      }
      return v;
    },
    2,
  );
}

/** Nearest-rank percentile of already sorted numbers (`p` in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}
