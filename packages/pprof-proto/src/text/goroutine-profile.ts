// A goroutine dump as a goroutine profile: the same shape runtime/pprof
// writes for the goroutine profile in proto form (sample and period type
// "goroutine"/"count", period 1, one sample per distinct stack and label set
// with the number of goroutines as its value). The dump has no absolute PCs,
// so locations carry address 0 and are told apart by their lines; a run of
// inlined frames and the frame they were inlined into form one location with
// several lines, innermost first, as in a symbolized proto.

import { type FrameInput, type LabelInput, type Profile, ProfileBuilder } from "../model.js";
import type { Goroutine, GoroutineDump, GoroutineFrame } from "./goroutines.js";

/** Options for {@link goroutineDumpToProfile}. */
export interface GoroutineProfileOptions {
  /** Append the `created by` function as the outermost frame (default `false`). */
  createdByFrame?: boolean;
  /** Add a `state` label with each goroutine's status or wait reason (default `false`). */
  stateLabel?: boolean;
}

/** Converts a parsed goroutine dump into a goroutine count profile. */
export function goroutineDumpToProfile(
  dump: GoroutineDump | readonly Goroutine[],
  options: GoroutineProfileOptions = {},
): Profile {
  const goroutines: readonly Goroutine[] = isDump(dump) ? dump.goroutines : dump;
  const b = new ProfileBuilder({
    sampleTypes: [{ type: "goroutine", unit: "count" }],
    periodType: { type: "goroutine", unit: "count" },
    period: 1,
  });
  const groups = new Map<string, { count: number; stack: number[]; labels: LabelInput[] }>();
  for (const g of goroutines) {
    const stack = locationsOf(b, g.stack);
    if (options.createdByFrame && g.createdBy) {
      const c = g.createdBy;
      stack.push(b.location({ lines: [{ functionName: c.func, fileName: c.file, line: c.line }] }));
    }
    const labels: LabelInput[] = g.labels.map(([key, str]) => ({ key, str }));
    if (options.stateLabel) labels.push({ key: "state", str: g.state });
    const key = `${stack.join(",")}|${labels.map((l) => `${l.key}\u0000${l.str}`).join("\u0001")}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { count: 1, stack, labels });
  }
  // Most goroutines first, as runtime/pprof orders its count profiles; ties keep dump order.
  const ordered = [...groups.values()].sort((x, y) => y.count - x.count);
  for (const s of ordered) b.addSample([s.count], s.stack, s.labels);
  return b.build();
}

function isDump(x: GoroutineDump | readonly Goroutine[]): x is GoroutineDump {
  return !Array.isArray(x);
}

/** Interns the locations of a stack (leaf first), merging inlined runs into one location. */
function locationsOf(b: ProfileBuilder, stack: readonly GoroutineFrame[]): number[] {
  const out: number[] = [];
  let run: FrameInput[] = [];
  for (const f of stack) {
    run.push({ functionName: f.func, fileName: f.file, line: f.line });
    if (f.inlined) continue;
    out.push(b.location({ lines: run }));
    run = [];
  }
  // A trailing inlined frame without its physical frame (a cut stack).
  if (run.length > 0) out.push(b.location({ lines: run }));
  return out;
}
