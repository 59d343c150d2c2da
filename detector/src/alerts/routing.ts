import { atLeast, type Alert, type Priority } from "../engine";
import { alertFacts } from "./facts";
import type { OutputFilters } from "./outputs/model";

/**
 * Which alert goes where. An output's filters must all hold for an alert to reach it; a list holds
 * when any of its entries matches. Rules and buckets take `*` (any text) and `?` (one character).
 */
export type AlertFilter = (alert: Alert) => boolean;

export function alertFilter(filters: OutputFilters): AlertFilter {
  const checks: AlertFilter[] = [];
  const { minimumPriority, rules, tags, accounts, buckets } = filters;
  if (minimumPriority) checks.push((a) => atLeast(a.priority, minimumPriority));
  if (rules) {
    const match = anyWildcard(rules);
    checks.push((a) => match(a.rule));
  }
  if (tags) {
    const wanted = new Set(tags);
    checks.push((a) => a.tags.some((t) => wanted.has(t)));
  }
  if (accounts) {
    const wanted = new Set(accounts);
    checks.push((a) => {
      const account = alertFacts(a).account;
      return account !== undefined && wanted.has(account);
    });
  }
  if (buckets) {
    const match = anyWildcard(buckets);
    checks.push((a) => {
      const bucket = alertFacts(a).bucket;
      return bucket !== undefined && match(bucket);
    });
  }
  return (a) => checks.every((c) => c(a));
}

/** What the loaded rules can tell about an output's reach, without records: rule name, tags, priority. */
export interface RuleShape {
  name: string;
  tags: readonly string[];
  priority: Priority;
}

/** Whether an alert of `rule` can pass the filters that depend on the rule alone (not accounts or buckets). */
export function ruleCanPass(filters: OutputFilters, rule: RuleShape): boolean {
  if (filters.minimumPriority && !atLeast(rule.priority, filters.minimumPriority)) return false;
  if (filters.rules && !anyWildcard(filters.rules)(rule.name)) return false;
  if (filters.tags && !rule.tags.some((t) => filters.tags!.includes(t))) return false;
  return true;
}

export function anyWildcard(patterns: readonly string[]): (text: string) => boolean {
  return (text) => patterns.some((p) => wildcardMatch(p, text));
}

/**
 * `*` and `?` wildcard matching, greedy with one backtrack point: linear in practice and at worst
 * O(pattern × text), never exponential, whatever the pattern.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}
