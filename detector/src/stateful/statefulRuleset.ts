import type { Alert, Evaluation, ExactSource, Ruleset } from "../engine";
import type { StateStore, StoreMetrics } from "../state";
import type { StageContext, StatefulCounters } from "./context";
import { secondsCeil } from "./keys";
import type { StatefulRule } from "./statefulRule";

/** Event times further ahead of the wall clock than this do not move the memory store's clock. */
const FUTURE_SLACK_SECONDS = 3600;

/**
 * A ruleset whose rules may count, suppress and follow each other. Single-event rules alert as
 * the engine decides; matches of stateful rules go through their store before they alert.
 */
export class StatefulRuleset {
  constructor(
    readonly ruleset: Ruleset,
    private readonly rules: ReadonlyMap<string, StatefulRule>,
    private readonly ctx: StageContext,
  ) {}

  /** Whether any loaded rule uses `threshold`, `suppress` or `sequence`. */
  get stateful(): boolean {
    for (const r of this.rules.values()) if (r.spec) return true;
    return false;
  }

  get store(): StateStore {
    return this.ctx.store;
  }

  /**
   * Evaluates one record: its single-event alerts, then those of stateful rules, which may be
   * about earlier records too (a threshold reached, a sequence completed by a late record).
   * Calls may overlap (a connector handles several messages at once, several tasks share one
   * table): every decision is made by an atomic write to the store, whatever the interleaving.
   */
  async evaluate(record: unknown, exact?: ExactSource): Promise<Evaluation> {
    const result = this.ruleset.inspect(record, exact);
    const watched = result.watched;
    if (!watched) return result;
    const alerts: Alert[] = [...result.alerts];
    const seconds = secondsCeil(watched[0].ev.timeNs);
    if (seconds <= Date.now() / 1000 + FUTURE_SLACK_SECONDS) this.ctx.store.advanceTo?.(seconds);
    for (const w of watched) await (this.rules.get(w.rule.name) as StatefulRule).matched(w, alerts);
    return result.errors ? { alerts, errors: result.errors } : { alerts };
  }

  metrics(): StatefulCounters & StoreMetrics {
    return { ...this.ctx.counters, ...this.ctx.store.metrics() };
  }
}
