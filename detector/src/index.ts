export * from "./engine";
export * from "./ruletest";
export { bundledRulesDir, readRulesFiles } from "./cli/rulesFiles";
export * from "./stateful";
export * from "./state";
