import { ruleCanPass, wildcardMatch, type RuleShape } from "../routing";
import type { OutputSpec } from "./model";
import type { OutputProblem } from "./read";
import { closest } from "../../suggest";

/**
 * Warnings about outputs that the loaded rules cannot reach: a rule pattern or a tag that no rule
 * has (usually a typo), or filters that together let no rule through. Warnings, not errors: rules
 * change more often than routes, and an output waiting for a rule still to come is legitimate.
 */
export function checkOutputsAgainstRules(outputs: readonly OutputSpec[], rules: readonly RuleShape[], base: string): OutputProblem[] {
  const problems: OutputProblem[] = [];
  const names = rules.map((r) => r.name);
  const tags = [...new Set(rules.flatMap((r) => r.tags))].sort();
  outputs.forEach((o, i) => {
    const at = `${base}[${i}] (${o.name})`;
    const warn = (key: string, message: string) => problems.push({ level: "warning", code: "OUTPUT_FILTER_MATCHES_NOTHING", path: `${at}.${key}`, message });
    const { filters } = o;
    filters.rules?.forEach((p, j) => {
      if (names.some((n) => wildcardMatch(p, n))) return;
      const hint = closest(p, names);
      warn(`rules[${j}]`, `'${p}' matches no loaded rule${hint ? ` (did you mean '${hint}'?)` : ""}`);
    });
    filters.tags?.forEach((t, j) => {
      if (tags.includes(t)) return;
      const hint = closest(t, tags);
      warn(`tags[${j}]`, `no loaded rule has the tag '${t}'${hint ? ` (did you mean '${hint}'?)` : ""}`);
    });
    if (rules.length > 0 && !rules.some((r) => ruleCanPass(filters, r))) {
      const parts = [
        filters.minimumPriority && `minimumPriority ${filters.minimumPriority.toLowerCase()}`,
        filters.rules && `rules [${filters.rules.join(", ")}]`,
        filters.tags && `tags [${filters.tags.join(", ")}]`,
      ].filter(Boolean);
      problems.push({ level: "warning", code: "OUTPUT_FILTER_MATCHES_NOTHING", path: at, message: `no loaded rule passes ${parts.join(" and ")} together: this output will receive no alert` });
    }
  });
  return problems;
}
