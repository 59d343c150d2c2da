export * from "./engine";
export * from "./ruletest";
export { bundledRulesDir, readRulesFiles } from "./cli/rulesFiles";
