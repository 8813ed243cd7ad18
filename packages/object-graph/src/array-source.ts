import type { GraphSource, RootKind } from "./source.js";

/** One object of an {@link ArrayGraphSourceInput}. */
export interface ArrayObject {
  /** Start address. */
  readonly address: number;
  /** Size in bytes. */
  readonly size: number;
  /** Pointer values stored in the object, in slot order (0 = nil; interior pointers allowed). */
  readonly pointers?: readonly number[];
  /** Holds no pointers at all. */
  readonly noscan?: boolean;
  /** Allocation-site label. */
  readonly site?: string;
}

/** One root of an {@link ArrayGraphSourceInput}. */
export interface ArrayRoot {
  /** What kind of root. */
  readonly kind: RootKind;
  /** The pointer value (an address). */
  readonly value: number;
  /** Where it lives; defaults to `"<kind> root"`. */
  readonly description?: string;
}

/** Plain-data description of a heap, for tests, demos and tools. */
export interface ArrayGraphSourceInput {
  /** The objects, in any order. */
  readonly objects: readonly ArrayObject[];
  /** The roots. */
  readonly roots: readonly ArrayRoot[];
  /** Objects with registered finalizers (object address, function value). */
  readonly finalizers?: readonly { readonly object: number; readonly fn: number }[];
}

/**
 * Wraps plain arrays as a {@link GraphSource}, so a synthetic heap can go
 * through the same builder as a real dump:
 *
 * ```ts
 * const graph = buildGraphFromSource(arrayGraphSource({
 *   objects: [{ address: 0x1000, size: 16, pointers: [0x2000] }, { address: 0x2000, size: 8 }],
 *   roots: [{ kind: "data", value: 0x1000 }],
 * }));
 * ```
 */
export function arrayGraphSource(input: ArrayGraphSourceInput): GraphSource {
  const { objects, roots, finalizers } = input;
  const at = (i: number): ArrayObject => objects[i] as ArrayObject;
  const source: GraphSource = {
    objectCount: objects.length,
    objectAddress: (i) => at(i).address,
    objectSize: (i) => at(i).size,
    forEachPointer(i, visit) {
      const ptrs = at(i).pointers;
      if (ptrs !== undefined) for (const p of ptrs) visit(p);
    },
    forEachRoot(visit) {
      for (const r of roots) visit(r.kind, r.value, r.description ?? `${r.kind} root`);
    },
    isNoscan: (i) => at(i).noscan === true,
    allocationSite: (i) => at(i).site,
  };
  if (finalizers !== undefined) {
    source.forEachFinalizer = (visit) => {
      for (const f of finalizers) visit(f.object, f.fn);
    };
  }
  return source;
}
