export type { DecodeOptions } from "./decode.js";
export { decodeProfile } from "./decode.js";
export type { EncodeOptions } from "./encode.js";
export { compareUtf8, encodeProfile } from "./encode.js";
export type { PprofErrorOptions } from "./errors.js";
export { isPprofError, PprofError, PprofErrorCode } from "./errors.js";
export { DEFAULT_MAX_DECOMPRESSED_BYTES, gunzip, gzip, isGzip } from "./gzip.js";
export type {
  Diagnostic,
  FrameInput,
  FunctionTable,
  LabelInput,
  Line,
  LineInput,
  Location,
  LocationInput,
  LocationTable,
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
export type { RawStringOptions } from "./raw.js";
export { formatGoDuration, formatGoTime, toRawString } from "./raw.js";
export { StringTable } from "./string-table.js";
