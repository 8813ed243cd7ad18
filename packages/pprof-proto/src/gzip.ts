// gzip for profiles. Go's runtime/pprof and google/pprof's Profile.Write
// gzip every proto they write (profile.proto: "the serialized proto must be
// gzip-compressed"), and `cat a.pb.gz b.pb.gz` makes a valid multi-member
// stream, which Go's compress/gzip reads as the concatenation.
//
// fflate is used because it is synchronous in both browsers and Node (the
// platform `DecompressionStream` is async only, which would force every
// decode to be async), small, and its streaming Gunzip handles multi-member
// input. Its one-shot `gunzipSync` is avoided on purpose: it sizes its output
// from the untrusted ISIZE trailer and stops after the first member.

import { Gunzip, gzipSync } from "fflate";
import { PprofError, PprofErrorCode } from "./errors.js";

/** True when `bytes` starts with the gzip magic `1f 8b`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Default cap on decompressed size: 1 GiB. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 1 << 30;

/**
 * Decompresses a (possibly multi-member) gzip stream. Throws `bad-gzip` on a
 * corrupt or truncated stream and `too-large` past `maxBytes`.
 */
export function gunzip(bytes: Uint8Array, maxBytes = DEFAULT_MAX_DECOMPRESSED_BYTES): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const g = new Gunzip((chunk) => {
    total += chunk.length;
    if (total > maxBytes) {
      throw new PprofError(
        PprofErrorCode.TooLarge,
        `decompressed profile exceeds ${maxBytes} bytes`,
      );
    }
    chunks.push(chunk);
  });
  try {
    // Push in slices so the size cap is checked while inflating, not after.
    const step = 1 << 20;
    for (let i = 0; i < bytes.length; i += step) {
      g.push(bytes.subarray(i, Math.min(bytes.length, i + step)), i + step >= bytes.length);
    }
    if (bytes.length === 0) g.push(bytes, true);
  } catch (e) {
    if (e instanceof PprofError) throw e;
    throw new PprofError(PprofErrorCode.BadGzip, `corrupt gzip stream: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/**
 * gzip-compresses `bytes` (one member, default level 6 like Go's
 * gzip.NewWriter). The header's modification time is zero, as Go writes it
 * when none is set, so the same profile always gives the same bytes.
 */
export function gzip(bytes: Uint8Array): Uint8Array {
  return gzipSync(bytes, { level: 6, mtime: 0 });
}
