/** The rules engine: Falco's rule language over CloudTrail records. Pure: no AWS, no I/O. */
export * from "./types";
export { loadRules } from "./load";
export type { EngineLoadOptions, LoadResult } from "./load";
export { Ruleset } from "./ruleset";
export type { Evaluation, MatchStage } from "./ruleset";
export type { CompiledRule } from "./loader/compiler";
export { falcoJson, alertId } from "./alert";
export type { TimeFormat } from "./alert";
export { parsePriority, atLeast, severity } from "./priority";
export { parseJsonExact, mayHaveNonCanonicalNumbers, RawNumber } from "./json/exactJson";
export { jsonText } from "./json/jsonText";
export { skipReason } from "./event";
export type { EventContext, ExactSource } from "./event";
export { FIELDS } from "./fields";
export { parseRfc3339, isoUtc } from "./time";
