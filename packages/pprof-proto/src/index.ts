/** Placeholder; replaced by the package implementation. */
export const VERSION = "0.0.0";
