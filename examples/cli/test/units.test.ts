import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { type Command, formatHelp, intOption, parseCommandArgs } from "../src/command.js";
import { CliError, formatError, UsageError } from "../src/errors.js";
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatPercent,
  formatTable,
  percentile,
  toJson,
} from "../src/format.js";
import { mergeGodebug, planRun } from "../src/godebug.js";
import { ProgressBar, StatusLine } from "../src/progress.js";

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1024, "1 KiB"],
    [1536, "1.5 KiB"],
    [10 * 1024 * 1024, "10 MiB"],
    [150 * 1024 * 1024, "150 MiB"],
    [-2048, "-2 KiB"],
    [2n ** 60n, "1024 PiB"],
  ])("%s -> %s", (input, expected) => {
    expect(formatBytes(input)).toBe(expected);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [0.0005, "500ns"],
    [0.015, "15µs"],
    [4.56, "4.56ms"],
    [1200, "1.2s"],
    [185_000, "3m05s"],
  ])("%s ms -> %s", (input, expected) => {
    expect(formatDuration(input)).toBe(expected);
  });
});

describe("small formatters", () => {
  it("groups counts", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(-1000)).toBe("-1,000");
    expect(formatCount(12345678901234567890n)).toBe("12,345,678,901,234,567,890");
  });
  it("formats percentages and refuses a zero whole", () => {
    expect(formatPercent(1, 3)).toBe("33.3%");
    expect(formatPercent(1, 0)).toBe("-");
  });
  it("keeps 64-bit values exact in JSON", () => {
    expect(JSON.parse(toJson({ t: 2n ** 63n + 1n, a: new Uint8Array([1, 2]) }))).toEqual({
      t: "9223372036854775809",
      a: [1, 2],
    });
  });
  it("takes nearest-rank percentiles", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
  });
});

describe("formatTable", () => {
  it("aligns columns and trims trailing space", () => {
    const text = formatTable(
      [{ header: "n" }, { header: "name", align: "left" }],
      [
        ["1", "a"],
        ["100", "long name"],
      ],
    );
    expect(text.split("\n")).toEqual(["  n  name", "  1  a", "100  long name"]);
  });
  propTest.prop([fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 12 })), { maxLength: 20 })], {
    numRuns: 50,
  })("every line of a right-aligned column has the same width", (rows) => {
    const text = formatTable(
      [{ header: "count" }, { header: "x", align: "left" }],
      rows.map(([n, s]) => [String(n), s.replace(/\s/g, "_")]),
    );
    const lines = text.split("\n");
    const width = Math.max(5, ...rows.map(([n]) => String(n).length));
    expect(lines[0]).toBe(`${"count".padStart(width)}  x`);
    for (const [i, [n]] of rows.entries()) {
      expect(lines[i + 1]!.slice(0, width)).toBe(String(n).padStart(width));
    }
  });
});

describe("error lines", () => {
  it("puts file and position first", () => {
    expect(
      formatError(new CliError("truncated record", { file: "x.dump", position: { offset: 12 } })),
    ).toBe("tricolor: x.dump:12: truncated record");
    expect(formatError(new CliError("bad line", { file: "t.log", position: { line: 3 } }))).toBe(
      "tricolor: t.log:3: bad line",
    );
    expect(formatError(new CliError("no such file or directory", { file: "a" }))).toBe(
      "tricolor: a: no such file or directory",
    );
  });
  it("keeps one line and drops a repeated position", () => {
    const error = new CliError("varint too long (at byte 40)\nmore detail", {
      file: "p.pb.gz",
      position: { offset: 40 },
    });
    expect(formatError(error)).toBe("tricolor: p.pb.gz:40: varint too long");
  });
  it("keeps the rest of a package's position note", () => {
    const error = new CliError(
      "length 256 exceeds the 216 bytes that remain (at byte 3878, record 153)",
      {
        file: "t.dump",
        position: { offset: 3878 },
      },
    );
    expect(formatError(error)).toBe(
      "tricolor: t.dump:3878: length 256 exceeds the 216 bytes that remain (record 153)",
    );
  });
  it("reads positions from package errors", () => {
    const packageError = Object.assign(new Error("bad header"), {
      name: "HeapDumpError",
      code: "x",
      offset: 0,
    });
    expect(formatError(packageError)).toBe("tricolor: 0: bad header");
  });
});

describe("argument parsing", () => {
  const command: Command = {
    words: ["demo"],
    summary: "s",
    usage: "demo <x>",
    options: {
      top: { type: "string", value: "N", help: "rows", default: "10" },
      json: { type: "boolean", help: "json" },
    },
    args: { min: 1, max: 1 },
    run: async () => 0,
  };
  it("parses options, defaults and the part after --", () => {
    const parsed = parseCommandArgs(command, ["f", "--json", "--", "go", "run", "."]);
    expect(parsed.positionals).toEqual(["f"]);
    expect(parsed.values.json).toBe(true);
    expect(intOption(parsed, "top", 5)).toBe(10);
    expect(parsed.rest).toEqual(["go", "run", "."]);
  });
  it("rejects unknown options, bad counts and bad numbers as usage errors", () => {
    expect(() => parseCommandArgs(command, ["f", "--nope"])).toThrow(UsageError);
    expect(() => parseCommandArgs(command, [])).toThrow(/expected 1 argument, got 0/);
    expect(() => intOption(parseCommandArgs(command, ["f", "--top", "x"]), "top", 1)).toThrow(
      UsageError,
    );
  });
  it("lists every option in the help", () => {
    const help = formatHelp(command);
    expect(help).toMatch(/--top N +rows \(default 10\)/);
    expect(help).toContain("--debug");
    expect(help).toContain("-h, --help");
  });
});

describe("GODEBUG for tricolor run", () => {
  it("adds the trace settings and keeps the user's", () => {
    expect(mergeGodebug(undefined)).toBe("gctrace=1,gcpacertrace=1");
    expect(mergeGodebug("madvdontneed=1")).toBe("madvdontneed=1,gctrace=1,gcpacertrace=1");
    expect(mergeGodebug("gctrace=2")).toBe("gctrace=2,gcpacertrace=1");
  });
  it("passes the settings to go run through -exec, not to the go command", () => {
    const plan = planRun(["go", "run", "./cmd/x", "-n", "3"], { PATH: "/bin" });
    expect(plan.args).toEqual([
      "run",
      "-exec",
      "env GODEBUG=gctrace=1,gcpacertrace=1",
      "./cmd/x",
      "-n",
      "3",
    ]);
    expect(plan.env.GODEBUG).toBeUndefined();
    const binary = planRun(["./prog", "a"], { GODEBUG: "x=1" });
    expect(binary.args).toEqual(["a"]);
    expect(binary.env.GODEBUG).toBe("x=1,gctrace=1,gcpacertrace=1");
    expect(planRun(["go", "run", "-exec", "sudo", "."], {}).viaExec).toBe(false);
  });
});

describe("terminal output", () => {
  const sink = (isTTY: boolean) => {
    const writes: string[] = [];
    return { writes, stream: { isTTY, columns: 60, write: (s: string) => writes.push(s) > 0 } };
  };
  it("draws nothing when stderr is not a terminal", () => {
    const { writes, stream } = sink(false);
    const bar = new ProgressBar("marking", 10, stream);
    bar.update(10);
    bar.finish();
    const line = new StatusLine(stream);
    line.set("x");
    line.clear();
    expect(writes).toEqual([]);
  });
  it("draws a bar that fits the terminal and erases it", () => {
    const { writes, stream } = sink(true);
    const bar = new ProgressBar("marking", 4, stream);
    bar.update(4, "done");
    bar.finish();
    expect(writes[0]).toContain("100% done");
    expect(writes[0]!.replace("\r\x1b[2K", "").length).toBeLessThan(60);
    expect(writes.at(-1)).toBe("\r\x1b[2K");
  });
});
