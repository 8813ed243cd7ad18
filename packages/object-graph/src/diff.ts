import type { ObjectGraph } from "./graph.js";

/** Counts and bytes of one side of a diff, with the sites involved. */
export interface DiffSide {
  /** Number of objects. */
  readonly count: number;
  /** Their bytes. */
  readonly bytes: number;
  /** Their ordinals (in the graph they belong to), ascending. */
  readonly ordinals: Uint32Array;
}

/** Byte and object deltas of one allocation site between two dumps. */
export interface SiteDelta {
  /** Site label. */
  readonly site: string;
  /** Objects of the site allocated between the dumps (present only in the second). */
  readonly allocatedCount: number;
  /** Bytes of those. */
  readonly allocatedBytes: number;
  /** Objects of the site freed between the dumps (present only in the first). */
  readonly freedCount: number;
  /** Bytes of those. */
  readonly freedBytes: number;
  /** allocatedBytes - freedBytes. */
  readonly netBytes: number;
}

/** What changed between two dumps of the same process. */
export interface GraphDiff {
  /** Objects only in `b` (ordinals of `b`). */
  readonly allocated: DiffSide;
  /** Objects only in `a` (ordinals of `a`). */
  readonly freed: DiffSide;
  /** Objects in both (ordinals of `b`). */
  readonly surviving: DiffSide;
  /** Per-site deltas of sampled objects, largest |netBytes| first. */
  readonly bySite: readonly SiteDelta[];
}

/**
 * Compares two graphs of the same process. An object "survives" when both
 * dumps have an object at the same address with the same size; otherwise it
 * was freed (only in `a`) or allocated (only in `b`). Heap dumps carry no
 * object identity, so an address freed and reused for an object of the same
 * size class in between looks like a survivor: the diff is exact for
 * allocations and frees of distinct addresses only.
 *
 * One merge walk over the two address-sorted ordinal ranges.
 */
export function diffGraphs(a: ObjectGraph, b: ObjectGraph): GraphDiff {
  const freed: number[] = [];
  const allocated: number[] = [];
  const surviving: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.objectCount || j < b.objectCount) {
    const aa = i < a.objectCount ? (a.addresses[i] as number) : Number.POSITIVE_INFINITY;
    const ba = j < b.objectCount ? (b.addresses[j] as number) : Number.POSITIVE_INFINITY;
    if (aa < ba) freed.push(i++);
    else if (ba < aa) allocated.push(j++);
    else {
      if (a.sizes[i] === b.sizes[j]) surviving.push(j);
      else {
        freed.push(i);
        allocated.push(j);
      }
      i++;
      j++;
    }
  }
  const side = (g: ObjectGraph, list: number[]): DiffSide => {
    let bytes = 0;
    for (const o of list) bytes += g.sizes[o] as number;
    return { count: list.length, bytes, ordinals: Uint32Array.from(list) };
  };
  const sites = new Map<string, { ac: number; ab: number; fc: number; fb: number }>();
  const entry = (site: string) => {
    let e = sites.get(site);
    if (e === undefined) {
      e = { ac: 0, ab: 0, fc: 0, fb: 0 };
      sites.set(site, e);
    }
    return e;
  };
  for (const o of allocated) {
    const id = b.siteIds?.[o] ?? -1;
    if (id < 0) continue;
    const e = entry(b.sites[id] as string);
    e.ac++;
    e.ab += b.sizes[o] as number;
  }
  for (const o of freed) {
    const id = a.siteIds?.[o] ?? -1;
    if (id < 0) continue;
    const e = entry(a.sites[id] as string);
    e.fc++;
    e.fb += a.sizes[o] as number;
  }
  const bySite = [...sites]
    .map(([site, e]) => ({
      site,
      allocatedCount: e.ac,
      allocatedBytes: e.ab,
      freedCount: e.fc,
      freedBytes: e.fb,
      netBytes: e.ab - e.fb,
    }))
    .sort(
      (x, y) =>
        Math.abs(y.netBytes) - Math.abs(x.netBytes) ||
        (x.site < y.site ? -1 : x.site > y.site ? 1 : 0),
    );
  return {
    allocated: side(b, allocated),
    freed: side(a, freed),
    surviving: side(b, surviving),
    bySite,
  };
}
