import type { Alert, Evaluation, ExactSource, Ruleset, WatchedMatch } from "../engine";
import type { StateStore, StoreMetrics } from "../state";
import type { StageContext, StatefulCounters } from "./context";
import { Pipeline, type Decision } from "./pipeline";
import type { Plan, Step } from "./plan";
import { US_PER_SECOND } from "./window";

/** Event times further ahead of the wall clock than this do not move the store's clock. */
const FUTURE_SLACK_US = 3600 * US_PER_SECOND;

/** One record to evaluate, with its exact twin (see ExactSource). */
export interface BatchRecord {
  record: unknown;
  exact?: ExactSource;
}

/** A record's evaluation in a batch (`errors`: what could not be evaluated on it; the other records still are). */
export type BatchEvaluation = Evaluation;

/**
 * A ruleset whose rules may count, suppress and follow each other. Single-event rules alert as
 * the engine decides; matches of stateful rules go through their state before they alert.
 * Records are best evaluated in batches (a log file's): the state is then read and written once
 * per group for the whole batch.
 */
export class StatefulRuleset {
  private readonly pipeline: Pipeline;

  constructor(
    readonly ruleset: Ruleset,
    readonly plan: Plan,
    private readonly ctx: StageContext,
    readonly store: StateStore,
  ) {
    this.pipeline = new Pipeline(plan, store, ctx);
  }

  /** Whether any loaded rule uses `threshold`, `suppress` or `sequence`. */
  get stateful(): boolean {
    return this.plan.rules.some((r) => r.spec);
  }

  /** Evaluates one record (a batch of one). */
  async evaluate(record: unknown, exact?: ExactSource): Promise<Evaluation> {
    return (await this.evaluateBatch([{ record, exact }]))[0];
  }

  /**
   * Evaluates records in order: each record's single-event alerts, then those of stateful rules,
   * which may be about earlier records too (a threshold reached, a sequence completed by a late
   * record); each alert is given with the record whose arrival raised it. Batches may overlap (a
   * connector handles several messages at once, several tasks share one table): every decision is
   * made by a conditional write to the store, whatever the interleaving.
   */
  async evaluateBatch(records: readonly BatchRecord[]): Promise<BatchEvaluation[]> {
    return this.decideEvaluations(records.map((r) => this.inspect(r.record, r.exact)));
  }

  /**
   * A record's evaluation before state: its single-event alerts and its stateful matches, for
   * `decideEvaluations`. Taken as each record is read, it lets a record that gives neither be
   * collected at once, instead of with the rest of its batch.
   */
  inspect(record: unknown, exact?: ExactSource): BatchEvaluation {
    try {
      return this.ruleset.inspect(record, exact);
    } catch (e) {
      return { alerts: [], errors: [e instanceof Error ? e.message : String(e)] };
    }
  }

  /** `evaluateBatch` for records already inspected, in order (see `inspect`). */
  async decideEvaluations(evaluations: readonly BatchEvaluation[]): Promise<BatchEvaluation[]> {
    const steps = this.steps(evaluations);
    if (steps.length === 0) return evaluations.map(plain);
    const decisions = await this.decide(steps);
    // A record without watched matches gets no decision: its evaluation is handed on as it is.
    const out = evaluations.map((e) => (e.watched ? plain(e) : e));
    for (const d of decisions) {
      const i = d.pos[0];
      // The engine's alerts list is copied before the first stateful alert joins it (it may be shared).
      if (out[i] === evaluations[i] || out[i].alerts === evaluations[i].alerts) out[i] = { ...plain(evaluations[i]), alerts: [...evaluations[i].alerts] };
      out[i].alerts.push(this.alertOf(d));
    }
    return out;
  }

  /**
   * The steps of a batch's watched matches, in record order. A sequence's follower keeps its
   * record's text should it wait: taken now, in record order, each record's text is found in its
   * log file from the one before (see ingest/records.ts), where the order of groups would jump back
   * and forth.
   */
  steps(evaluations: readonly BatchEvaluation[]): Step[] {
    const steps: Step[] = [];
    for (let i = 0; i < evaluations.length; i++) {
      const watched = evaluations[i].watched;
      if (!watched) continue;
      for (let j = 0; j < watched.length; j++) {
        const step = this.plan.fromMatch(watched[j], [i, j]);
        if (typeof step.rec === "function") step.rec = step.rec();
        steps.push(step);
      }
    }
    return steps;
  }

  /** Works out the state for steps (made here or in a worker) and the alerts that follow. */
  async decide(steps: readonly Step[]): Promise<Decision[]> {
    let latest = 0;
    for (const s of steps) if (s.t > latest) latest = s.t;
    if (latest <= Date.now() * 1000 + FUTURE_SLACK_US) this.store.advanceTo(latest);
    return this.pipeline.run(steps);
  }

  /** The alert of a decision whose match is in this thread. */
  alertOf(d: Decision): Alert {
    const src = d.step.src as WatchedMatch | { record: Record<string, unknown> };
    const alert = "alert" in src ? src.alert() : this.ruleset.alertFor(d.rule.compiled, src as never);
    alert.details = d.details;
    return alert;
  }

  /** The rule whose state a store scope holds (for reports about the store). */
  ruleOfScope(scope: string): string | undefined {
    return this.plan.rules.find((r) => scope.startsWith(`${r.scope}/`))?.name;
  }

  metrics(): StatefulCounters & StoreMetrics {
    return { ...this.ctx.counters, ...this.store.metrics() };
  }
}

/** An evaluation without the watched matches (its alerts list is the engine's: copy it to add to it). */
function plain(e: BatchEvaluation): BatchEvaluation {
  const out: BatchEvaluation = { alerts: e.alerts };
  if (e.skipped) out.skipped = e.skipped;
  if (e.errors) out.errors = e.errors;
  return out;
}

