import { buildAlert, TimeFormat } from "./alert";
import { DeploymentContext } from "./context";
import { EventContext, ExactSource, RunInfo, skipReason } from "./event";
import type { CompiledRule } from "./loader/compiler";
import { atLeast } from "./priority";
import type { Alert, LoadMessage, Priority, RuleMatching } from "./types";

/** What one record gave: its alerts, or why it was not evaluated. */
export interface Evaluation {
  alerts: Alert[];
  skipped?: string;
  /** Matches of watched rules (see `Ruleset.watch`), in rule order; absent when there are none. */
  watched?: WatchedMatch[];
  /**
   * Rules that could not be evaluated on this record, each with why (`rule 'X': message`); the
   * other rules were. Absent when every rule was evaluated.
   */
  errors?: string[];
}

/**
 * How a watched rule takes part in evaluation. `hold`: the engine never alerts for it; its matches
 * are handed to the caller, which decides (stateful rules: thresholds, suppression, sequences).
 * `report`: the rule alerts as usual and its matches are handed over as well (the first step of a
 * sequence, whose matches must be seen even when another rule already alerted on the record).
 */
export type WatchMode = "hold" | "report";

/** A match of a watched rule. */
export interface WatchedMatch {
  rule: CompiledRule;
  ev: EventContext;
  /** Builds the alert the rule gives for this event. */
  alert: () => Alert;
  /** False when the rule is disabled or below the minimum priority: watched only as a building block. */
  active: boolean;
}

/** A watched match: one small object per match, its alert built only if asked for. */
class Watched implements WatchedMatch {
  constructor(
    readonly rule: CompiledRule,
    readonly ev: EventContext,
    readonly active: boolean,
    private readonly timeFormat: TimeFormat,
  ) {}

  alert(): Alert {
    return buildAlert(this.rule, this.ev, this.timeFormat);
  }
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
  /** The deployment's facts for `s3guard.*` context fields; default: none listed. */
  context?: DeploymentContext;
}

/** Distinct event names whose candidate lists are remembered; more are computed each time. */
const MAX_CACHED_NAMES = 10_000;
/** Distinct event sources remembered per candidate list. */
const MAX_CACHED_SOURCES = 1_000;
const NO_ALERTS: Alert[] = [];

/**
 * The loaded, runnable rules. Rules are indexed by the event names and sources their conditions
 * require, so an event is only tested against rules that can match it; order of definition is kept.
 */
export class Ruleset {
  /** Enabled rules at or above the minimum priority, in order of first definition. */
  readonly active: readonly CompiledRule[];
  private readonly unconstrained: CompiledRule[];
  private readonly byName = new Map<string, CompiledRule[]>();
  private readonly candidates = new Map<string, CompiledRule[]>();
  /** Each candidate list narrowed to the rules that can match an event source, by source. */
  private readonly bySource = new WeakMap<readonly CompiledRule[], Map<string, readonly CompiledRule[]>>();
  private readonly stages = new Map<string, MatchStage>();
  /** Watch modes by candidate list (see modesFor), valid for one generation of `watch` calls. */
  private readonly listModes = new WeakMap<readonly CompiledRule[], { generation: number; modes: (WatchMode | undefined)[] }>();
  private watchGeneration = 0;
  private readonly watchModes = new Map<string, WatchMode>();
  private readonly activeNames: ReadonlySet<string>;
  private readonly run: RunInfo;
  private counter = 0n;

  constructor(
    /** Every compiled rule, enabled or not. */
    readonly rules: readonly CompiledRule[],
    readonly options: RulesetOptions,
    readonly warnings: readonly LoadMessage[] = [],
  ) {
    this.active = [...rules].filter((r) => r.enabled && atLeast(r.priority, options.minimumPriority)).sort((a, b) => a.index - b.index);
    this.activeNames = new Set(this.active.map((r) => r.name));
    this.unconstrained = [];
    for (const r of this.active) this.index(r);
    this.run = { hostname: options.hostname, context: options.context ?? new DeploymentContext() };
  }

  /** What the rules' context lists and the records so far say about the deployment. */
  get context(): DeploymentContext {
    return this.run.context as DeploymentContext;
  }

  /** Time of the first event evaluated in the run (for `evt.reltime`); undefined before any. */
  get firstTimeNs(): bigint | undefined {
    return this.run.firstTimeNs;
  }

  /**
   * Puts the run where another evaluator's is (parallel workers evaluating part of one scan):
   * the first event's time, and the log buckets learned from the records before.
   */
  resumeRun(firstTimeNs: bigint | undefined, learnedLogBuckets: readonly string[]): void {
    this.run.firstTimeNs = firstTimeNs;
    this.context.resetLearned(learnedLogBuckets);
  }

  /**
   * Whether a rule that can alert or be watched reads a field whose value depends on every event
   * evaluated before in the run (`evt.num`, `evt.reltime*`): such rules cannot be evaluated in
   * parallel parts.
   */
  readsRunOrder(): boolean {
    const uses = (r: CompiledRule) => /\bevt\.(num|reltime)/.test(r.condition) || r.output.keys.some((k) => /^evt\.(num|reltime)/.test(k));
    return this.rules.some((r) => (this.activeNames.has(r.name) || this.watchModes.has(r.name)) && uses(r));
  }

  /** Adds a rule to the indexes; rules added out of definition order are sorted into place. */
  private index(r: CompiledRule): void {
    const add = (list: CompiledRule[]) => {
      list.push(r);
      if (list.length > 1 && list[list.length - 2].index > r.index) list.sort((a, b) => a.index - b.index);
    };
    if (!r.eventNames) add(this.unconstrained);
    for (const n of r.eventNames ?? []) {
      let list = this.byName.get(n);
      if (!list) this.byName.set(n, (list = []));
      add(list);
    }
  }

  /** Replaces the default one-alert behaviour of a rule (used by stateful rule kinds). */
  setStage(rule: string, stage: MatchStage): void {
    this.stages.set(rule, stage);
  }

  /**
   * Hands a rule's matches to the caller (see `WatchMode`). A watched rule is evaluated on every
   * record it can match, whatever the rule matching mode: under `first` it neither stops the
   * other rules nor is stopped by them, because what the caller makes of its matches is not an
   * alert about this one record. A watched rule that is disabled or below the minimum priority is
   * evaluated too (its matches say `active: false`) and never alerts by itself.
   */
  watch(rule: string, mode: WatchMode): void {
    const r = this.rules.find((x) => x.name === rule);
    if (!r) throw new Error(`no rule named '${rule}' to watch`);
    if (!this.watchModes.has(rule) && !this.activeNames.has(rule)) this.index(r);
    this.watchModes.set(rule, mode);
    this.candidates.clear();
    this.watchGeneration++;
  }

  /** The evaluation context of a record, for evaluating a watched rule's match again later. */
  contextOf(record: Record<string, unknown>): EventContext {
    return new EventContext(record, ++this.counter, this.run);
  }

  /** The alert a rule gives for an event, as if its condition had just matched. */
  alertFor(rule: CompiledRule, ev: EventContext): Alert {
    return buildAlert(rule, ev, this.options.timeFormat);
  }

  /** Rules that can match an event with this name and source, in definition order. */
  private candidatesFor(name: unknown, source: unknown): readonly CompiledRule[] {
    const list = this.candidatesNamed(name);
    // A source that is not a string reads as "" to ct.src: left to the conditions. So is the rare
    // event without a name, whose list is made afresh each time and would only be narrowed once.
    if (typeof source !== "string" || typeof name !== "string") return list;
    let narrowed = this.bySource.get(list);
    if (!narrowed) this.bySource.set(list, (narrowed = new Map()));
    const known = narrowed.get(source);
    if (known) return known;
    const some = list.filter((r) => !r.eventSources || r.eventSources.has(source));
    const out = some.length === list.length ? list : some;
    if (narrowed.size < MAX_CACHED_SOURCES) narrowed.set(source, out);
    return out;
  }

  /** Rules that can match an event with this name, in definition order. */
  private candidatesNamed(name: unknown): readonly CompiledRule[] {
    if (typeof name !== "string") return this.allIndexed();
    const cached = this.candidates.get(name);
    if (cached) return cached;
    const named = this.byName.get(name);
    const list = named ? [...named, ...this.unconstrained].sort((a, b) => a.index - b.index) : this.unconstrained;
    if (this.candidates.size < MAX_CACHED_NAMES) this.candidates.set(name, list);
    return list;
  }

  /** The watch mode of each rule of a candidate list, looked up once per list (and per change of what is watched). */
  private modesFor(list: readonly CompiledRule[]): readonly (WatchMode | undefined)[] {
    const known = this.listModes.get(list);
    if (known && known.generation === this.watchGeneration) return known.modes;
    const modes = list.map((r) => this.watchModes.get(r.name));
    this.listModes.set(list, { generation: this.watchGeneration, modes });
    return modes;
  }

  /** Active rules and watched inactive ones, in definition order (for events without a name). */
  private allIndexed(): readonly CompiledRule[] {
    if (this.watchModes.size === 0) return this.active;
    return this.rules.filter((r) => this.activeNames.has(r.name) || this.watchModes.has(r.name)).sort((a, b) => a.index - b.index);
  }

  /** Evaluates one CloudTrail record; records the cloudtrail plugin would not emit are skipped. */
  inspect(record: unknown, exact?: ExactSource): Evaluation {
    const skipped = skipReason(record);
    if (skipped) return { alerts: NO_ALERTS, skipped };
    const ev = new EventContext(record as Record<string, unknown>, ++this.counter, this.run, exact);
    if (this.run.firstTimeNs === undefined) this.run.firstTimeNs = ev.timeNs;
    this.context.observe(ev.record);
    let alerts = NO_ALERTS;
    let watched: WatchedMatch[] | undefined;
    let errors: string[] | undefined;
    let stopped = false;
    const watching = this.watchModes.size > 0;
    const candidates = this.candidatesFor(ev.record.eventName, ev.record.eventSource);
    const modes = watching ? this.modesFor(candidates) : undefined;
    for (let k = 0; k < candidates.length; k++) {
      const rule = candidates[k];
      // Without watched rules (no stateful rules loaded), `first` simply ends the loop.
      const mode = modes?.[k];
      if (stopped && mode === undefined) continue;
      // A rule that fails on a hostile record is reported; the record's other rules still run,
      // so one crafted value cannot hide an event from every rule.
      let produced: Alert[];
      try {
        if (!rule.filter(ev)) continue;
        if (mode !== undefined) {
          const active = this.activeNames.has(rule.name);
          (watched ??= []).push(new Watched(rule, ev, active, this.options.timeFormat));
          if (mode === "hold" || !active || stopped) continue;
        }
        produced = this.alertsOf(rule, ev);
      } catch (e) {
        (errors ??= []).push(`rule '${rule.name}': ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      if (produced.length) alerts = alerts === NO_ALERTS ? [...produced] : alerts.concat(produced);
      if (this.options.ruleMatching === "first") {
        if (!watching) break;
        stopped = true;
      }
    }
    const out: Evaluation = watched ? { alerts, watched } : { alerts };
    if (errors) out.errors = errors;
    return out;
  }

  /**
   * What a rule that matched an event gives: its stage's alerts, or its one alert. Apart from the
   * loop of `inspect`, whose every iteration would otherwise hold the rule for this closure.
   */
  private alertsOf(rule: CompiledRule, ev: EventContext): Alert[] {
    const make = () => buildAlert(rule, ev, this.options.timeFormat);
    const stage = this.stages.get(rule.name);
    return stage ? stage(ev, make) : [make()];
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
