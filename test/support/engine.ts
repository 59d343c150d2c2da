import { loadRules, type Alert, type EngineLoadOptions, type LoadResult } from "../../detector/src/engine";

/** Loads rules given as YAML text (or as items, written as JSON, which YAML reads). */
export function load(rules: string | object[], options: EngineLoadOptions = {}): LoadResult {
  const content = typeof rules === "string" ? rules : JSON.stringify(rules);
  return loadRules([{ name: "test.yaml", content }], { hostname: "test-host", ...options });
}

/** Loads rules that must load, or fails with the load errors. */
export function loaded(rules: string | object[], options: EngineLoadOptions = {}) {
  const r = load(rules, options);
  if (!r.ok || !r.ruleset) throw new Error(`rules did not load:\n${r.errors.map((e) => e.text).join("\n")}`);
  return r.ruleset;
}

/** One CloudTrail rule with this condition and output. */
export function rule(condition: string, output = "o", extra: Record<string, unknown> = {}): object {
  return { rule: "r", desc: "d", condition, output, priority: "WARNING", source: "aws_cloudtrail", ...extra };
}

/** Does the condition match the event? */
export function matches(condition: string, event: object): boolean {
  return loaded([rule(condition)]).evaluate(event).length > 0;
}

/** The single alert a rule with this output gives on the event. */
export function alertFor(output: string, event: object, extra: Record<string, unknown> = {}, options: EngineLoadOptions = {}): Alert {
  const alerts = loaded([rule("ct.name exists or not ct.name exists", output, extra)], options).evaluate(event);
  if (alerts.length !== 1) throw new Error(`expected one alert, got ${alerts.length}`);
  return alerts[0];
}
