/** Rule tests: fixture files of CloudTrail records with the alerts a rule must (not) raise on them. */
export { expectationText, meets, readCase, isProblem } from "./fixture";
export type { Expectation, FixtureCase, FixtureProblem } from "./fixture";
export { findFixtureFiles, readFixtureText, readFixtures } from "./fixtureFiles";
export type { FixtureSet } from "./fixtureFiles";
export { loadForTest, runRuleTests } from "./runner";
export type { CaseResult, RuleSummary, RuleTestReport, RulesLoader, RunOptions } from "./runner";
export { formatReport, formatTable } from "./report";
