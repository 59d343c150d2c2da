/**
 * Stateful rules: `threshold`, `suppress` and `sequence` keys on Falco rules, with their state in
 * memory or in DynamoDB. A Falco that does not know the keys loads the same files with a warning.
 */
export { loadStatefulRules } from "./load";
export type { StatefulLoadResult, StatefulOptions } from "./load";
export { StatefulRuleset } from "./statefulRuleset";
export type { BatchEvaluation, BatchRecord } from "./statefulRuleset";
export type { StatefulCounters } from "./context";
export { STATEFUL_KEYS } from "./types";
export type { StatefulSpec, ThresholdSpec, SuppressSpec, SequenceSpec } from "./types";
export { parseWindow } from "./window";
