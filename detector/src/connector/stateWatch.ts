import type { Alert } from "../engine";
import type { EvictionReport, StateStore } from "../state";
import type { StatefulRuleset } from "../stateful";
import type { Logger } from "./log";
import type { Metrics } from "./metrics";
import { stateEvictedAlert } from "./systemAlerts";

/** Evictions are reported at most this often (the counter counts every one). */
const ALERT_EVERY_MS = 10 * 60 * 1000;

/**
 * Makes the state's health visible: its size and conflicts in /metrics after every message, and
 * live windows dropped under memory pressure as a counter, a log line and a Warning alert (at
 * most one per ten minutes, naming the rules that lost windows).
 */
export function watchState(store: StateStore, current: () => StatefulRuleset | undefined, log: Logger, raise: (a: Alert) => void, hostname: string): void {
  let pending = 0;
  const rules = new Set<string>();
  let lastAlert = 0;
  let budget = 0;
  store.onEvicted = (r: EvictionReport) => {
    let n = 0;
    for (const [scope, count] of r.byScope) {
      n += count;
      const rule = current()?.ruleOfScope(scope);
      if (rule) rules.add(rule);
    }
    pending += n;
    budget = r.budget;
    log.warn("live stateful windows dropped to stay within the state's memory budget; their counts start again", { evicted: n, budgetBytes: r.budget, rules: [...rules] });
    if (Date.now() - lastAlert < ALERT_EVERY_MS) return;
    lastAlert = Date.now();
    raise(stateEvictedAlert(pending, [...rules].sort(), budget, String(Math.floor(lastAlert / ALERT_EVERY_MS)), hostname));
    pending = 0;
    rules.clear();
  };
}

/** The state's figures, as /metrics shows them. */
export function recordStateMetrics(metrics: Metrics, ruleset: StatefulRuleset): void {
  if (!ruleset.stateful) return;
  const m = ruleset.metrics();
  metrics.set("s3guard_state_groups", m.groups);
  metrics.set("s3guard_state_bytes", m.bytes);
  metrics.set("s3guard_state_evicted_total", m.evictedLive);
  metrics.set("s3guard_state_conflicts_total", m.conflicts);
}
