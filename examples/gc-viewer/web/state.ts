/**
 * What the page exposes on `window.__tricolor` for the end-to-end tests (and
 * for curious users in the console): plain numbers, updated every frame.
 */
export interface ViewerTestState {
  heap: {
    loaded: boolean;
    name: string;
    objectCount: number;
    sceneKind: string;
    nodeCount: number;
    layoutAlpha: number;
    steps: number;
    done: boolean;
    white: number;
    grey: number;
    black: number;
    playing: boolean;
    colorMode: string;
    timelineLength: number;
    timelineIndex: number;
    diff: { born: number; died: number; survived: number } | null;
    selected: {
      ordinal: number;
      address: string;
      size: number;
      retained: number;
      pathLength: number;
      hasStack: boolean;
    } | null;
  };
  live: {
    state: string;
    gcEvents: number;
    pacerEvents: number;
    otherEvents: number;
    lastCycle: number;
    dumps: number;
    dumpsLoaded: number;
  };
  pprof: { loaded: boolean; name: string; samples: number; functions: number; flameNodes: number };
  errors: string[];
}

export const testState: ViewerTestState = {
  heap: {
    loaded: false,
    name: "",
    objectCount: 0,
    sceneKind: "",
    nodeCount: 0,
    layoutAlpha: 0,
    steps: 0,
    done: false,
    white: 0,
    grey: 0,
    black: 0,
    playing: false,
    colorMode: "mark",
    timelineLength: 0,
    timelineIndex: -1,
    diff: null,
    selected: null,
  },
  live: {
    state: "idle",
    gcEvents: 0,
    pacerEvents: 0,
    otherEvents: 0,
    lastCycle: 0,
    dumps: 0,
    dumpsLoaded: 0,
  },
  pprof: { loaded: false, name: "", samples: 0, functions: 0, flameNodes: 0 },
  errors: [],
};

/** Per-object questions the tests ask by address (`0x…`, an object's start). */
export interface ViewerProbe {
  /** Marker colour of the object in the shown dump, or null when no object starts there. */
  colorOf(address: string): "white" | "grey" | "black" | null;
  /** Timeline status versus the previous dump, or null. */
  diffOf(address: string): "born" | "survived" | null;
  /** Selects the object as a click would; false when not found. */
  select(address: string): boolean;
  /** Page coordinates of node `index` of the current scene (object or group), or null. */
  nodeOnPage(index: number): { x: number; y: number } | null;
  /** Scene node index of the object starting at `address`, or -1. */
  nodeOf(address: string): number;
}

declare global {
  interface Window {
    __tricolor: ViewerTestState;
    __tricolorProbe: ViewerProbe;
  }
}

window.__tricolor = testState;
