/**
 * Checking what callers pass as bytes: a `Uint8Array` (a Node `Buffer` is
 * one) is used as it is, an `ArrayBuffer` or another typed-array or
 * `DataView` is viewed as bytes without a copy, anything else is refused with
 * the package's typed error instead of failing somewhere inside the reader.
 */
import { HeapDumpError, HeapDumpErrorCode } from "./errors.js";

/** A short description of a value for an error message. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}

/**
 * `value` as a `Uint8Array`, or a `HeapDumpError` (`INVALID_ARGUMENT`) at
 * `offset`. `what` names the argument in the message.
 */
export function asBytes(value: unknown, what: string, offset = 0): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (typeof SharedArrayBuffer !== "undefined" && value instanceof SharedArrayBuffer) {
    return new Uint8Array(value);
  }
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  throw new HeapDumpError(
    HeapDumpErrorCode.InvalidArgument,
    `${what} must be bytes (a Uint8Array, Buffer or ArrayBuffer), not ${describe(value)}`,
    offset,
  );
}
