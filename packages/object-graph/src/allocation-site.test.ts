import type { MemProfRecord } from "@tricolor/heapdump-reader";
import { describe, expect, test } from "vitest";
import { allocationSiteLabel } from "./from-heapdump.js";

function bucket(...names: string[]): MemProfRecord {
  return {
    kind: "memProf",
    bucketAddress: 0x1000,
    size: 16,
    frames: names.map((functionName, i) => ({
      functionName,
      file: `${functionName.split(".")[0]}.go`,
      line: 10 + i,
    })),
    allocs: 1,
    frees: 0,
  };
}

describe("allocationSiteLabel", () => {
  test("names the innermost frame outside the runtime", () => {
    expect(allocationSiteLabel(bucket("runtime.mallocgc", "runtime.newobject", "main.build"))).toBe(
      "main.build main.go:12",
    );
  });

  test("for the runtime's own allocations, skips the allocator entry points", () => {
    const label = allocationSiteLabel(
      bucket("runtime.mallocgc", "runtime.newobject", "runtime.allocm", "runtime.newm"),
    );
    expect(label).toBe("runtime.allocm runtime.go:12");
  });

  test("falls back to the innermost frame when every frame allocates", () => {
    expect(allocationSiteLabel(bucket("runtime.mallocgc", "runtime.growslice"))).toBe(
      "runtime.mallocgc runtime.go:10",
    );
    expect(allocationSiteLabel(bucket())).toBe("(unknown)");
  });
});
