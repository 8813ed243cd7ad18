import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { decodeProfile } from "./decode.js";
import { encodeProfile } from "./encode.js";
import { isPprofError } from "./errors.js";
import { gunzip } from "./gzip.js";
import {
  profileFromView,
  profileViewArb,
  wireChoicesArb,
  wireFromView,
} from "./test-utils/arbitrary.js";
import { viewProfile } from "./test-utils/view.js";

describe("round trips on generated profiles", () => {
  test.prop([profileViewArb, fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 })], {
    numRuns: 200,
  })("decode(encode(p)) gives p back", (view, extra) => {
    const p = profileFromView(view, extra);
    expect(viewProfile(p)).toEqual(view);
    const raw = encodeProfile(p, { gzip: false });
    expect(viewProfile(decodeProfile(raw))).toEqual(view);
    // gzip output decodes to the same thing and is a real gzip stream.
    const gz = encodeProfile(p);
    expect(gunzip(gz)).toEqual(raw);
    expect(viewProfile(decodeProfile(gz))).toEqual(view);
  });

  test.prop([profileViewArb], { numRuns: 50 })(
    "gzip output is reproducible: no timestamp in the header (MTIME zero, as Go writes it)",
    (view) => {
      const p = profileFromView(view);
      const a = encodeProfile(p);
      // The header's MTIME is bytes 4..7; a clock-dependent header would differ here.
      expect(Array.from(a.subarray(4, 8))).toEqual([0, 0, 0, 0]);
      expect(encodeProfile(p)).toEqual(a);
    },
  );

  test.prop([profileViewArb, wireChoicesArb], { numRuns: 200 })(
    "any field order, packed or unpacked, unknown fields: the decoder reads the same profile",
    (view, choices) => {
      const bytes = wireFromView(view, choices);
      expect(viewProfile(decodeProfile(bytes))).toEqual(view);
    },
  );

  test.prop([profileViewArb, wireChoicesArb, wireChoicesArb], { numRuns: 100 })(
    "re-encoding is canonical: the bytes do not depend on how the input was written",
    (view, a, b) => {
      const x = encodeProfile(decodeProfile(wireFromView(view, a)), { gzip: false });
      const y = encodeProfile(decodeProfile(wireFromView(view, b)), { gzip: false });
      expect(Buffer.from(x).equals(Buffer.from(y))).toBe(true);
    },
  );
});

describe("mutated input", () => {
  const mutation = fc.oneof(
    fc.record({
      kind: fc.constant("flip" as const),
      at: fc.nat(),
      bits: fc.integer({ min: 1, max: 255 }),
    }),
    fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
    fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), byte: fc.nat({ max: 255 }) }),
    fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  );

  test.prop([profileViewArb, fc.array(mutation, { minLength: 1, maxLength: 4 })], {
    numRuns: 400,
  })("give a PprofError with an offset, or a profile that re-encodes", (view, mutations) => {
    let bytes = Array.from(encodeProfile(profileFromView(view), { gzip: false }));
    for (const m of mutations) {
      if (bytes.length === 0) break;
      const at = m.at % bytes.length;
      if (m.kind === "flip") bytes[at] = (bytes[at] as number) ^ m.bits;
      else if (m.kind === "truncate") bytes = bytes.slice(0, at);
      else if (m.kind === "insert") bytes.splice(at, 0, m.byte);
      else bytes.splice(at, 1);
    }
    // Keep the raw path: a leading 1f 8b would turn this into a gzip test.
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes[0] = 0;
    let decoded: ReturnType<typeof decodeProfile> | undefined;
    try {
      decoded = decodeProfile(Uint8Array.from(bytes));
    } catch (e) {
      expect(isPprofError(e)).toBe(true);
      if (bytes.length > 0) expect(typeof (e as { offset?: unknown }).offset).toBe("number");
      return;
    }
    // A profile that decodes is consistent enough to encode again.
    const again = decodeProfile(encodeProfile(decoded, { gzip: false }));
    expect(again.samples.count).toBe(decoded.samples.count);
  });

  test.prop([profileViewArb, fc.nat(), fc.integer({ min: 1, max: 255 })], { numRuns: 100 })(
    "corrupt gzip gives a PprofError",
    (view, at, bits) => {
      const gz = encodeProfile(profileFromView(view));
      const i = 10 + (at % (gz.length - 10));
      gz[i] = (gz[i] as number) ^ bits;
      try {
        decodeProfile(gz);
      } catch (e) {
        expect(isPprofError(e)).toBe(true);
      }
    },
  );
});
