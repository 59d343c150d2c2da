export * from "./engine";
export * from "./ruletest";
export { bundledRulesDir, readContextFiles, readRulesFiles } from "./cli/rulesFiles";
export * from "./stateful";
export * from "./state";
export { SeenEvents, eventIdOf, DEFAULT_MAX_SEEN_EVENTS } from "./ingest/seenEvents";
export { headingAnchor, runbookUrl } from "./alerts/runbook";
export { NODE_FLAGS } from "./launcher";
