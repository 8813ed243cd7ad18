// A plain-data view of a Profile with every string and reference resolved and
// every 64-bit number as a decimal string, for deep-equality assertions. It
// reads the model field by field and shares no code with decode or encode.

import type { Profile } from "../model.js";

/** A JSON-friendly, fully resolved snapshot of a profile. */
export interface ProfileView {
  sampleTypes: [string, string][];
  samples: {
    values: string[];
    locationIds: string[];
    labels: { key: string; str: string; num: string; unit: string }[];
  }[];
  mappings: {
    id: string;
    start: string;
    limit: string;
    offset: string;
    file: string;
    buildId: string;
    flags: boolean[];
  }[];
  locations: {
    id: string;
    mappingId: string;
    address: string;
    folded: boolean;
    lines: { functionId: string; line: number; column: number }[];
  }[];
  functions: { id: string; name: string; systemName: string; file: string; startLine: number }[];
  dropFrames: string;
  keepFrames: string;
  timeNanos: string;
  durationNanos: string;
  periodType: [string, string] | null;
  period: string;
  comments: string[];
  defaultSampleType: string;
  docUrl: string;
}

/** Resolves `p` into a {@link ProfileView}. */
export function viewProfile(p: Profile): ProfileView {
  const str = (i: number) => p.strings.get(i);
  const s = p.samples;
  const samples: ProfileView["samples"] = [];
  for (let i = 0; i < s.count; i++) {
    const values: string[] = [];
    for (let j = 0; j < s.valueCount; j++) {
      const k = i * s.valueCount + j;
      values.push(String(s.exactValues.get(k) ?? BigInt(s.values[k] as number)));
    }
    const locationIds: string[] = [];
    for (let k = s.locationStarts[i] as number; k < (s.locationStarts[i + 1] as number); k++) {
      locationIds.push(String(p.locations[s.locations[k] as number]?.id));
    }
    const labels: ProfileView["samples"][number]["labels"] = [];
    for (let k = s.labelStarts[i] as number; k < (s.labelStarts[i + 1] as number); k++) {
      labels.push({
        key: str(s.labelKeys[k] as number),
        str: str(s.labelStrs[k] as number),
        num: String(s.exactLabelNums.get(k) ?? BigInt(s.labelNums[k] as number)),
        unit: str(s.labelUnits[k] as number),
      });
    }
    samples.push({ values, locationIds, labels });
  }
  return {
    sampleTypes: p.sampleTypes.map((t) => [str(t.type), str(t.unit)]),
    samples,
    mappings: p.mappings.map((m) => ({
      id: String(m.id),
      start: String(m.memoryStart),
      limit: String(m.memoryLimit),
      offset: String(m.fileOffset),
      file: str(m.filename),
      buildId: str(m.buildId),
      flags: [m.hasFunctions, m.hasFilenames, m.hasLineNumbers, m.hasInlineFrames],
    })),
    locations: p.locations.map((l) => ({
      id: String(l.id),
      mappingId: l.mapping >= 0 ? String(p.mappings[l.mapping]?.id) : "0",
      address: String(l.address),
      folded: l.isFolded,
      lines: l.lines.map((ln) => ({
        functionId: String(p.functions[ln.function]?.id),
        line: ln.line,
        column: ln.column,
      })),
    })),
    functions: p.functions.map((f) => ({
      id: String(f.id),
      name: str(f.name),
      systemName: str(f.systemName),
      file: str(f.filename),
      startLine: f.startLine,
    })),
    dropFrames: str(p.dropFrames),
    keepFrames: str(p.keepFrames),
    timeNanos: String(p.timeNanos),
    durationNanos: String(p.durationNanos),
    periodType: p.periodType ? [str(p.periodType.type), str(p.periodType.unit)] : null,
    period: String(p.period),
    comments: p.comments.map(str),
    defaultSampleType: str(p.defaultSampleType),
    docUrl: str(p.docUrl),
  };
}
