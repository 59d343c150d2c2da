import { buildAlert, TimeFormat } from "./alert";
import { EventContext, ExactSource, RunInfo, skipReason } from "./event";
import type { CompiledRule } from "./loader/compiler";
import { atLeast } from "./priority";
import type { Alert, LoadMessage, Priority, RuleMatching } from "./types";

/** What one record gave: its alerts, or why it was not evaluated. */
export interface Evaluation {
  alerts: Alert[];
  skipped?: string;
}

/**
 * A rule's behaviour after its condition matched. The default raises one alert; stateful rules
 * (thresholds, suppression, sequences) count, hold or combine matches instead.
 */
export type MatchStage = (ev: EventContext, alert: () => Alert) => Alert[];

export interface RulesetOptions {
  minimumPriority: Priority;
  ruleMatching: RuleMatching;
  hostname: string;
  timeFormat: TimeFormat;
}

/** Distinct event names whose candidate lists are remembered; more are computed each time. */
const MAX_CACHED_NAMES = 10_000;
const NO_ALERTS: Alert[] = [];

/**
 * The loaded, runnable rules. Rules are indexed by the event names their conditions require, so
 * an event is only tested against rules that can match it; order of definition is kept.
 */
export class Ruleset {
  /** Enabled rules at or above the minimum priority, in order of first definition. */
  readonly active: readonly CompiledRule[];
  private readonly unconstrained: CompiledRule[];
  private readonly byName = new Map<string, CompiledRule[]>();
  private readonly candidates = new Map<string, CompiledRule[]>();
  private readonly stages = new Map<string, MatchStage>();
  private readonly run: RunInfo;
  private counter = 0n;

  constructor(
    /** Every compiled rule, enabled or not. */
    readonly rules: readonly CompiledRule[],
    readonly options: RulesetOptions,
    readonly warnings: readonly LoadMessage[] = [],
  ) {
    this.active = [...rules].filter((r) => r.enabled && atLeast(r.priority, options.minimumPriority)).sort((a, b) => a.index - b.index);
    this.unconstrained = this.active.filter((r) => !r.eventNames);
    for (const r of this.active) {
      for (const n of r.eventNames ?? []) {
        const list = this.byName.get(n) ?? [];
        list.push(r);
        this.byName.set(n, list);
      }
    }
    this.run = { hostname: options.hostname };
  }

  /** Replaces the default one-alert behaviour of a rule (used by stateful rule kinds). */
  setStage(rule: string, stage: MatchStage): void {
    this.stages.set(rule, stage);
  }

  /** Rules that can match an event with this name, in definition order. */
  private candidatesFor(name: unknown): readonly CompiledRule[] {
    if (typeof name !== "string") return this.active;
    const cached = this.candidates.get(name);
    if (cached) return cached;
    const named = this.byName.get(name);
    const list = named ? [...named, ...this.unconstrained].sort((a, b) => a.index - b.index) : this.unconstrained;
    if (this.candidates.size < MAX_CACHED_NAMES) this.candidates.set(name, list);
    return list;
  }

  /** Evaluates one CloudTrail record; records the cloudtrail plugin would not emit are skipped. */
  inspect(record: unknown, exact?: ExactSource): Evaluation {
    const skipped = skipReason(record);
    if (skipped) return { alerts: NO_ALERTS, skipped };
    const ev = new EventContext(record as Record<string, unknown>, ++this.counter, this.run, exact);
    if (this.run.firstTimeNs === undefined) this.run.firstTimeNs = ev.timeNs;
    let alerts = NO_ALERTS;
    for (const rule of this.candidatesFor(ev.record.eventName)) {
      if (!rule.filter(ev)) continue;
      const make = () => buildAlert(rule, ev, this.options.timeFormat);
      const stage = this.stages.get(rule.name);
      const produced = stage ? stage(ev, make) : [make()];
      if (produced.length) alerts = alerts === NO_ALERTS ? [...produced] : alerts.concat(produced);
      if (this.options.ruleMatching === "first") break;
    }
    return { alerts };
  }

  /** The alerts of one record (none when it is skipped). */
  evaluate(record: unknown, exact?: ExactSource): Alert[] {
    return this.inspect(record, exact).alerts;
  }

  /** Names and versions of what is loaded, for logs and `validate`. */
  describe(): { rules: number; enabled: number; active: number } {
    return { rules: this.rules.length, enabled: this.rules.filter((r) => r.enabled).length, active: this.active.length };
  }
}
