export type { PprofErrorOptions } from "./errors.js";
export { isPprofError, PprofError, PprofErrorCode } from "./errors.js";
export type {
  Diagnostic,
  FrameInput,
  LabelInput,
  Line,
  LineInput,
  Location,
  LocationInput,
  Mapping,
  MappingInput,
  NumLabelValue,
  ProfileBuilderOptions,
  ProfileFunction,
  ProfileInit,
  ResolvedFrame,
  ResolvedSample,
  SampleTable,
  ValueType,
} from "./model.js";
export {
  emptySampleTable,
  MAX_DIAGNOSTICS,
  Profile,
  ProfileBuilder,
} from "./model.js";
export { StringTable } from "./string-table.js";
