// Generated profiles, written by our encoder, parsed and re-written by
// google/pprof: the bytes must not change (so our encoder makes exactly the
// choices Go's makes: string order, label order, packing, omitted zeros), and
// Profile.String must equal toRawString.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { encodeProfile, toRawString } from "@tricolor/pprof-proto";
import { afterAll, describe, expect } from "vitest";
import { profileFromView, profileViewArb } from "../src/test-utils/arbitrary.js";
import { goReference } from "./go-reference.js";

const go = goReference();

describe.skipIf(!go)("differential against google/pprof", () => {
  const dir = mkdtempSync(join(tmpdir(), "pprof-diff-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  test.prop([profileViewArb, fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 })], {
    numRuns: 40,
  })("Go re-encodes our bytes unchanged and prints the same -raw text", (view, extra) => {
    const p = profileFromView(view, extra);
    const mine = encodeProfile(p, { gzip: false });
    const file = join(dir, `p${n++}.pb`);
    writeFileSync(file, mine);
    const theirs = go?.reencode(file) as Uint8Array;
    expect(Buffer.from(theirs).toString("hex")).toBe(Buffer.from(mine).toString("hex"));
    expect(toRawString(p)).toBe(go?.raw(file));
  });
});
