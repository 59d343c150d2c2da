import type { LoadResult } from "../engine/load";
import type { LoadMessage, RulesFile } from "../engine/types";
import { loadStatefulRules, type StatefulRuleset } from "../stateful";
import { FixtureCase, FixtureProblem, meets } from "./fixture";

/**
 * Loads rules the way the tests should see them: a fresh ruleset that reports every matching rule,
 * with stateful rules (threshold, suppress, sequence) at work and their state empty.
 */
export type RulesLoader = (files: readonly RulesFile[]) => LoadResult & { stateful?: StatefulRuleset };

export const loadForTest: RulesLoader = (files) => loadStatefulRules(files, { ruleMatching: "all" });

export interface CaseResult {
  case: FixtureCase;
  /** Alerts of the rule under test over all the case's events. */
  count: number;
  passed: boolean;
  /** The messages of those alerts, in order. */
  messages: string[];
  /** Why the case could not be judged on its events alone (unknown rule, skipped record...). */
  notes: string[];
}

export interface RuleSummary {
  rule: string;
  cases: number;
  passed: number;
  failed: number;
  /** False for a rule that is disabled by default (its cases run with it enabled); undefined when not loaded. */
  enabled?: boolean;
}

export interface RuleTestReport {
  /** False when the rules did not load: nothing was run. */
  loaded: boolean;
  loadErrors: LoadMessage[];
  results: CaseResult[];
  /** Fixture cases and files that could not be read. */
  problems: FixtureProblem[];
  /** One line per rule, in load order, then names that fixtures use but no rule has. */
  rules: RuleSummary[];
  /** Loaded rules that no fixture names. */
  untested: string[];
  requireFixtures: boolean;
  passed: boolean;
}

export interface RunOptions {
  loader?: RulesLoader;
  /** Rules without any fixture fail the run instead of only being listed. */
  requireFixtures?: boolean;
}

/**
 * A rules file that turns one rule on. Cases of a rule that is disabled by default still test its
 * logic, so the rule is enabled for them with a Falco override appended after the user's files.
 */
function enablingFile(rule: string): RulesFile {
  return { name: `<enable '${rule}' for its tests>`, content: `- rule: ${JSON.stringify(rule)}\n  enabled: true\n  override:\n    enabled: replace\n` };
}

async function runCase(files: readonly RulesFile[], c: FixtureCase, enabled: boolean, loader: RulesLoader): Promise<CaseResult> {
  const loaded = loader(enabled ? files : [...files, enablingFile(c.rule)]);
  const result: CaseResult = { case: c, count: 0, passed: false, messages: [], notes: [] };
  if (!loaded.ok || !loaded.ruleset) {
    result.notes.push(`the rules did not load for this case: ${loaded.errors.map((e) => e.message).join("; ")}`);
    return result;
  }
  for (const [i, event] of c.events.entries()) {
    const { alerts, skipped } = loaded.stateful ? await loaded.stateful.evaluate(event) : loaded.ruleset.inspect(event);
    if (skipped) result.notes.push(`event ${i + 1} was not evaluated: ${skipped}`);
    for (const a of alerts) {
      if (a.rule !== c.rule) continue;
      result.count++;
      result.messages.push(a.message);
    }
  }
  result.passed = result.notes.length === 0 && meets(c.expect, result.count);
  return result;
}

function summarise(order: readonly string[], enabled: ReadonlyMap<string, boolean>, results: readonly CaseResult[], problems: readonly FixtureProblem[]): RuleSummary[] {
  const byRule = new Map<string, RuleSummary>();
  const line = (rule: string): RuleSummary => {
    let s = byRule.get(rule);
    if (!s) {
      s = { rule, cases: 0, passed: 0, failed: 0, enabled: enabled.get(rule) };
      byRule.set(rule, s);
    }
    return s;
  };
  for (const r of order) line(r);
  for (const r of results) {
    const s = line(r.case.rule);
    s.cases++;
    if (r.passed) s.passed++;
    else s.failed++;
  }
  for (const p of problems) {
    if (p.rule === undefined) continue;
    const s = line(p.rule);
    s.cases++;
    s.failed++;
  }
  return [...byRule.values()];
}

/**
 * Runs every case against the rules: each case gets a freshly loaded ruleset (so stateful rules
 * start empty), its events are evaluated in order, and the alerts of the rule under test are
 * counted and compared with the case's expectation. A case naming a rule that is not loaded fails.
 */
export async function runRuleTests(files: readonly RulesFile[], cases: readonly FixtureCase[], problems: readonly FixtureProblem[], options: RunOptions = {}): Promise<RuleTestReport> {
  const loader = options.loader ?? loadForTest;
  const requireFixtures = options.requireFixtures ?? false;
  const base = loader(files);
  if (!base.ok || !base.ruleset) {
    return { loaded: false, loadErrors: base.errors, results: [], problems: [...problems], rules: [], untested: [], requireFixtures, passed: false };
  }
  const ordered = [...base.ruleset.rules].sort((a, b) => a.index - b.index);
  const enabled = new Map(ordered.map((r) => [r.name, r.enabled] as const));
  const results: CaseResult[] = [];
  for (const c of cases) {
    if (!enabled.has(c.rule)) results.push({ case: c, count: 0, passed: false, messages: [], notes: [`no rule named '${c.rule}' is loaded`] });
    else results.push(await runCase(files, c, enabled.get(c.rule)!, loader));
  }
  const tested = new Set([...cases.map((c) => c.rule), ...problems.flatMap((p) => (p.rule ? [p.rule] : []))]);
  const untested = ordered.map((r) => r.name).filter((n) => !tested.has(n));
  const passed = results.every((r) => r.passed) && problems.length === 0 && (!requireFixtures || untested.length === 0);
  return {
    loaded: true,
    loadErrors: [],
    results,
    problems: [...problems],
    rules: summarise(ordered.map((r) => r.name), enabled, results, problems),
    untested,
    requireFixtures,
    passed,
  };
}
