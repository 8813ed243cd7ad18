// fast-check generators for profiles in "canonical" form (the form Go's
// encoder writes, so decode(encode(p)) must give p back exactly), plus two
// independent ways to materialise one: as a model object, and as wire bytes
// written with the naive ProtoWriter in any field order, packed or not, with
// unknown fields sprinkled in.

import fc from "fast-check";
import { type Location, type Mapping, Profile, type ProfileFunction } from "../model.js";
import { StringTable } from "../string-table.js";
import { ProtoWriter } from "./proto-writer.js";
import type { ProfileView } from "./view.js";

const U64_MAX = 2n ** 64n - 1n;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

const u64 = fc.oneof(fc.bigInt({ min: 1n, max: 50n }), fc.bigInt({ min: 1n, max: U64_MAX }));
const u64z = fc.oneof(fc.constant(0n), u64);
const i64 = fc.oneof(
  fc.constant(0n),
  fc.bigInt({ min: -100n, max: 100n }),
  fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }),
  fc.constantFrom(I64_MIN, I64_MAX, 2n ** 53n, -(2n ** 53n), 2n ** 53n + 1n),
  fc.bigInt({ min: I64_MIN, max: I64_MAX }),
);
const small = fc.oneof(
  fc.integer({ min: -5, max: 300 }),
  fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
);
const word = fc.string({ unit: "binary", minLength: 1, maxLength: 6 });

function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** Canonical profile views: valid, and in the exact shape Go re-encodes. */
export const profileViewArb: fc.Arbitrary<ProfileView> = fc
  .record({
    pool: fc.uniqueArray(word, { minLength: 1, maxLength: 10 }),
    sampleTypes: fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 }),
    functionIds: fc.uniqueArray(u64, { maxLength: 5 }),
    fnFields: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), small), {
      minLength: 5,
      maxLength: 5,
    }),
    mappingIds: fc.uniqueArray(u64, { maxLength: 3 }),
    mapFields: fc.array(
      fc.record({
        start: u64z,
        limit: u64z,
        offset: u64z,
        file: fc.nat(),
        buildId: fc.nat(),
        flags: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      }),
      { minLength: 3, maxLength: 3 },
    ),
    locationIds: fc.uniqueArray(u64, { maxLength: 6 }),
    locFields: fc.array(
      fc.record({
        mapping: fc.nat(),
        address: u64z,
        folded: fc.boolean(),
        lines: fc.array(fc.tuple(fc.nat(), small, small), { maxLength: 3 }),
      }),
      { minLength: 6, maxLength: 6 },
    ),
    samples: fc.array(
      fc.record({
        values: fc.array(i64, { minLength: 4, maxLength: 4 }),
        locs: fc.array(fc.nat(), { maxLength: 6 }),
        labels: fc.array(
          fc.record({
            key: fc.nat(),
            str: fc.nat(),
            num: i64,
            unit: fc.nat(),
            isStr: fc.boolean(),
          }),
          { maxLength: 4 },
        ),
      }),
      { maxLength: 8 },
    ),
    drop: fc.nat(),
    keep: fc.nat(),
    time: i64,
    duration: i64,
    periodType: fc.option(fc.tuple(fc.nat(), fc.nat())),
    period: i64,
    comments: fc.array(fc.nat(), { maxLength: 4 }),
    dflt: fc.nat(),
    doc: fc.nat(),
  })
  .map((g): ProfileView => {
    const L = g.pool.length;
    const str = (n: number) => (n % (L + 1) === 0 ? "" : (g.pool[(n % (L + 1)) - 1] as string));
    const nonEmpty = (n: number) => g.pool[n % L] as string;
    const functions = g.functionIds.map((id, i) => {
      const [name, sys, file, startLine] = g.fnFields[i] as [number, number, number, number];
      return { id: String(id), name: str(name), systemName: str(sys), file: str(file), startLine };
    });
    const mappings = g.mappingIds.map((id, i) => {
      const m = g.mapFields[i] as (typeof g.mapFields)[number];
      return {
        id: String(id),
        start: String(m.start),
        limit: String(m.limit),
        offset: String(m.offset),
        file: str(m.file),
        buildId: str(m.buildId),
        flags: m.flags,
      };
    });
    const locations = g.locationIds.map((id, i) => {
      const l = g.locFields[i] as (typeof g.locFields)[number];
      const mi = l.mapping % (mappings.length + 1);
      return {
        id: String(id),
        mappingId: mi === 0 ? "0" : (mappings[mi - 1]?.id as string),
        address: String(l.address),
        folded: l.folded,
        lines:
          functions.length === 0
            ? []
            : l.lines.map(([f, line, column]) => ({
                functionId: functions[f % functions.length]?.id as string,
                line,
                column,
              })),
      };
    });
    const nTypes = g.sampleTypes.length;
    const samples = g.samples.map((s) => {
      const strLabels: ProfileView["samples"][number]["labels"] = [];
      const numLabels: ProfileView["samples"][number]["labels"] = [];
      for (const l of s.labels) {
        if (l.isStr) strLabels.push({ key: str(l.key), str: nonEmpty(l.str), num: "0", unit: "" });
        else {
          const unit = str(l.unit);
          const num = l.num === 0n && unit === "" ? 1n : l.num;
          numLabels.push({ key: str(l.key), str: "", num: String(num), unit });
        }
      }
      // Go's encoder groups labels by sorted key, string labels first.
      const byKey = (a: { key: string }, b: { key: string }) => utf8Compare(a.key, b.key);
      return {
        values: s.values.slice(0, nTypes).map(String),
        locationIds:
          locations.length === 0
            ? []
            : s.locs.map((n) => locations[n % locations.length]?.id as string),
        labels: [...strLabels.sort(byKey), ...numLabels.sort(byKey)],
      };
    });
    const pt = g.periodType
      ? ([str(g.periodType[0]), str(g.periodType[1])] as [string, string])
      : null;
    return {
      sampleTypes: g.sampleTypes.map(([t, u]) => [str(t), str(u)]),
      samples,
      mappings,
      locations,
      functions,
      dropFrames: str(g.drop),
      keepFrames: str(g.keep),
      timeNanos: String(g.time),
      durationNanos: String(g.duration),
      periodType: pt && (pt[0] !== "" || pt[1] !== "") ? pt : null,
      period: String(g.period),
      comments: g.comments.map(str),
      defaultSampleType: str(g.dflt),
      docUrl: str(g.doc),
    };
  });

/** Builds a model object for `v` directly (no encoder involved); `extra` strings pad the table. */
export function profileFromView(v: ProfileView, extra: readonly string[] = []): Profile {
  const table: string[] = [""];
  const index = new Map<string, number>([["", 0]]);
  const s = (x: string) => {
    let i = index.get(x);
    if (i === undefined) {
      i = table.length;
      table.push(x);
      index.set(x, i);
    }
    return i;
  };
  for (const x of extra) s(x);
  const functions: ProfileFunction[] = v.functions.map((f) => ({
    id: BigInt(f.id),
    name: s(f.name),
    systemName: s(f.systemName),
    filename: s(f.file),
    startLine: f.startLine,
  }));
  const mappings: Mapping[] = v.mappings.map((m) => ({
    id: BigInt(m.id),
    memoryStart: BigInt(m.start),
    memoryLimit: BigInt(m.limit),
    fileOffset: BigInt(m.offset),
    filename: s(m.file),
    buildId: s(m.buildId),
    hasFunctions: m.flags[0] as boolean,
    hasFilenames: m.flags[1] as boolean,
    hasLineNumbers: m.flags[2] as boolean,
    hasInlineFrames: m.flags[3] as boolean,
  }));
  const fnIndex = new Map(v.functions.map((f, i) => [f.id, i]));
  const mapIndex = new Map(v.mappings.map((m, i) => [m.id, i]));
  const locations: Location[] = v.locations.map((l) => ({
    id: BigInt(l.id),
    mapping: l.mappingId === "0" ? -1 : (mapIndex.get(l.mappingId) as number),
    address: BigInt(l.address),
    isFolded: l.folded,
    lines: l.lines.map((ln) => ({
      function: fnIndex.get(ln.functionId) as number,
      line: ln.line,
      column: ln.column,
    })),
  }));
  const locIndex = new Map(v.locations.map((l, i) => [l.id, i]));
  const vc = v.sampleTypes.length;
  const count = v.samples.length;
  const values = new Float64Array(count * vc);
  const exactValues = new Map<number, bigint>();
  const locationStarts = new Uint32Array(count + 1);
  const labelStarts = new Uint32Array(count + 1);
  const locs: number[] = [];
  const labels: { key: number; str: number; num: bigint; unit: number }[] = [];
  v.samples.forEach((smp, i) => {
    smp.values.forEach((x, j) => {
      const big = BigInt(x);
      values[i * vc + j] = Number(big);
      if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < -BigInt(Number.MAX_SAFE_INTEGER)) {
        exactValues.set(i * vc + j, big);
      }
    });
    for (const id of smp.locationIds) locs.push(locIndex.get(id) as number);
    locationStarts[i + 1] = locs.length;
    for (const l of smp.labels) {
      labels.push({ key: s(l.key), str: s(l.str), num: BigInt(l.num), unit: s(l.unit) });
    }
    labelStarts[i + 1] = labels.length;
  });
  const exactLabelNums = new Map<number, bigint>();
  labels.forEach((l, k) => {
    if (l.num > BigInt(Number.MAX_SAFE_INTEGER) || l.num < -BigInt(Number.MAX_SAFE_INTEGER)) {
      exactLabelNums.set(k, l.num);
    }
  });
  const p = new Profile({
    sampleTypes: v.sampleTypes.map(([t, u]) => ({ type: s(t), unit: s(u) })),
    functions,
    mappings,
    locations,
    dropFrames: s(v.dropFrames),
    keepFrames: s(v.keepFrames),
    timeNanos: BigInt(v.timeNanos),
    durationNanos: BigInt(v.durationNanos),
    periodType: v.periodType ? { type: s(v.periodType[0]), unit: s(v.periodType[1]) } : undefined,
    period: BigInt(v.period),
    comments: v.comments.map(s),
    defaultSampleType: s(v.defaultSampleType),
    docUrl: s(v.docUrl),
  });
  p.samples = {
    count,
    valueCount: vc,
    values,
    exactValues,
    locationStarts,
    locations: Uint32Array.from(locs),
    labelStarts,
    labelKeys: Uint32Array.from(labels.map((l) => l.key)),
    labelStrs: Uint32Array.from(labels.map((l) => l.str)),
    labelNums: Float64Array.from(labels.map((l) => Number(l.num))),
    exactLabelNums,
    labelUnits: Uint32Array.from(labels.map((l) => l.unit)),
  };
  p.strings = StringTable.fromStrings(table);
  return p;
}

/** Choices that drive {@link wireFromView}'s freedom (order, packing, unknown fields). */
export const wireChoicesArb = fc.array(fc.nat({ max: 1000 }), { minLength: 64, maxLength: 64 });

/**
 * Writes `v` as profile.proto bytes with the naive writer, taking liberties a
 * conforming decoder must accept: top-level fields interleaved in any order
 * (keeping each repeated field's own order), repeated scalars packed or not,
 * zero scalars sometimes written explicitly, unknown fields of every wire type
 * (including groups and field numbers above 2^29) in every message.
 */
export function wireFromView(v: ProfileView, choices: readonly number[]): Uint8Array {
  let c = 0;
  const pick = (n: number) => (choices[c++ % choices.length] as number) % n;
  const table: string[] = [""];
  const index = new Map<string, number>([["", 0]]);
  const s = (x: string) => {
    let i = index.get(x);
    if (i === undefined) {
      i = table.length;
      table.push(x);
      index.set(x, i);
    }
    return i;
  };
  const unknown = (w: ProtoWriter) => {
    switch (pick(8)) {
      case 0:
        w.uint(100 + pick(50), BigInt(pick(1000)) << 40n);
        break;
      case 1:
        w.fixed64(16 + pick(10), 0x0123456789abcdefn);
        break;
      case 2:
        w.fixed32(16 + pick(10), 0xdeadbeef);
        break;
      case 3:
        w.string(16 + pick(10), "unknown");
        break;
      case 4:
        w.group(30, (g) => g.uint(1, 5).group(2, (h) => h.string(3, "x")));
        break;
      case 5:
        w.uint(2 ** 29 + 1, 7);
        break;
      default:
        break;
    }
  };
  const scalar = (w: ProtoWriter, field: number, x: bigint | number) => {
    if (x !== 0n && x !== 0) w.uint(field, x);
    else if (pick(4) === 0) w.uint(field, 0);
  };
  const repeated = (w: ProtoWriter, field: number, xs: readonly (number | bigint)[]) => {
    if (xs.length > 0 && pick(2) === 0) w.packed(field, xs);
    else for (const x of xs) w.uint(field, x);
  };
  // Per-field queues of top-level chunks; interleaved at the end.
  const queues: ((w: ProtoWriter) => void)[][] = [];
  const add = (q: number, f: (w: ProtoWriter) => void) => {
    let list = queues[q];
    if (!list) {
      list = [];
      queues[q] = list;
    }
    list.push(f);
  };
  for (const [t, u] of v.sampleTypes) {
    const ti = s(t);
    const ui = s(u);
    add(1, (w) =>
      w.message(1, (m) => {
        scalar(m, 1, ti);
        unknown(m);
        scalar(m, 2, ui);
      }),
    );
  }
  for (const smp of v.samples) {
    const labels = smp.labels.map((l) => ({
      key: s(l.key),
      str: s(l.str),
      num: BigInt(l.num),
      unit: s(l.unit),
    }));
    add(2, (w) =>
      w.message(2, (m) => {
        const parts = [
          () => repeated(m, 1, smp.locationIds.map(BigInt)),
          () => repeated(m, 2, smp.values.map(BigInt)),
          () => {
            for (const l of labels) {
              m.message(3, (lw) => {
                scalar(lw, 1, l.key);
                scalar(lw, 2, l.str);
                unknown(lw);
                scalar(lw, 3, l.num);
                scalar(lw, 4, l.unit);
              });
            }
          },
        ];
        // Any order of the three repeated fields is valid.
        const first = pick(3);
        (parts[first] as () => void)();
        unknown(m);
        parts.forEach((f, i) => {
          if (i !== first) f();
        });
      }),
    );
  }
  for (const mp of v.mappings) {
    const file = s(mp.file);
    const buildId = s(mp.buildId);
    add(3, (w) =>
      w.message(3, (m) => {
        scalar(m, 4, BigInt(mp.offset));
        scalar(m, 1, BigInt(mp.id));
        scalar(m, 2, BigInt(mp.start));
        scalar(m, 3, BigInt(mp.limit));
        unknown(m);
        scalar(m, 5, file);
        scalar(m, 6, buildId);
        mp.flags.forEach((f, i) => {
          scalar(m, 7 + i, f ? 1 : 0);
        });
      }),
    );
  }
  for (const l of v.locations) {
    add(4, (w) =>
      w.message(4, (m) => {
        for (const ln of l.lines) {
          m.message(4, (lw) => {
            scalar(lw, 2, ln.line);
            unknown(lw);
            scalar(lw, 1, BigInt(ln.functionId));
            scalar(lw, 3, ln.column);
          });
        }
        scalar(m, 1, BigInt(l.id));
        scalar(m, 2, BigInt(l.mappingId));
        unknown(m);
        scalar(m, 3, BigInt(l.address));
        scalar(m, 5, l.folded ? 1 : 0);
      }),
    );
  }
  for (const f of v.functions) {
    const name = s(f.name);
    const sys = s(f.systemName);
    const file = s(f.file);
    add(5, (w) =>
      w.message(5, (m) => {
        scalar(m, 5, f.startLine);
        scalar(m, 2, name);
        scalar(m, 3, sys);
        unknown(m);
        scalar(m, 4, file);
        scalar(m, 1, BigInt(f.id));
      }),
    );
  }
  const drop = s(v.dropFrames);
  const keep = s(v.keepFrames);
  const pt = v.periodType ? [s(v.periodType[0]), s(v.periodType[1])] : undefined;
  const comments = v.comments.map(s);
  const dflt = s(v.defaultSampleType);
  const doc = s(v.docUrl);
  add(7, (w) => {
    scalar(w, 7, drop);
    scalar(w, 8, keep);
    scalar(w, 9, BigInt(v.timeNanos));
  });
  add(7, (w) => {
    scalar(w, 10, BigInt(v.durationNanos));
    if (pt) {
      w.message(11, (m) => {
        scalar(m, 1, pt[0] as number);
        scalar(m, 2, pt[1] as number);
      });
    }
    scalar(w, 12, BigInt(v.period));
    repeated(w, 13, comments);
    scalar(w, 14, dflt);
    scalar(w, 15, doc);
  });
  add(8, (w) => unknown(w));
  // The string table is complete only now; it may still come first.
  for (const x of table) add(6, (w) => w.string(6, x));

  const w = new ProtoWriter();
  const heads = queues.map(() => 0);
  for (;;) {
    const ready = queues
      .map((q, i) => (q && (heads[i] as number) < q.length ? i : -1))
      .filter((i) => i >= 0);
    if (ready.length === 0) break;
    const q = ready[pick(ready.length)] as number;
    const f = (queues[q] as ((w: ProtoWriter) => void)[])[heads[q] as number] as (
      w: ProtoWriter,
    ) => void;
    heads[q] = (heads[q] as number) + 1;
    f(w);
  }
  return w.finish();
}
