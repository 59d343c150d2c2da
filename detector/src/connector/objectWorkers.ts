import type { Alert } from "../engine";
import type { LogObjectRead } from "../ingest/logObject";
import type { SeenEvents } from "../ingest/seenEvents";
import { EvaluatorPool } from "../parallel/pool";
import type { FileResult, WorkerSetup } from "../parallel/protocol";
import { alertsOfDecisions, stepsOfKept } from "../parallel/stateDecisions";
import type { StatefulRuleset } from "../stateful";
import type { RecordsOutcome } from "./processRecords";
import type { ActiveRules } from "./rulesWatcher";

/**
 * Log objects evaluated in worker threads (S3GUARD_WORKERS): a worker gunzips, parses and
 * evaluates an object's bytes against every rule, single-event and stateful alike, while this
 * thread fetches the next objects, keeps the state and delivers. As in `scan --workers`, a stateful
 * match leaves its worker as a step; this thread folds the steps into the state, whole object by
 * whole object, and the worker builds the alerts the state decided. One pool serves one ruleset: a
 * reload starts a new pool, and the old one ends once its objects are done.
 */
export class ObjectWorkers {
  /** A pool per ruleset still in use; the latest rules' pool stays, the others end once idle. */
  private readonly pools = new Map<ActiveRules, { pool: EvaluatorPool; busy: number }>();
  private latest?: ActiveRules;

  constructor(
    private readonly workers: number,
    private readonly read: WorkerSetup["read"],
  ) {}

  /** Whether objects evaluated with these rules go to the workers (not when a rule reads the run's order). */
  accepts(rules: ActiveRules): boolean {
    return this.workers > 1 && !rules.ruleset.readsRunOrder();
  }

  /**
   * Reads and evaluates an object's bytes in a worker, then drops repeated records, folds the
   * stateful steps and adds the alerts to `out` as processRecords does; returns what reading found,
   * or, when the object's text is longer than a worker parses whole, its bytes unread (the caller
   * streams them: a worker would hold all the records at once).
   */
  async evaluate(rules: ActiveRules, bytes: Uint8Array, out: RecordsOutcome, seen: SeenEvents | undefined, accounts: ReadonlySet<string> | undefined): Promise<(LogObjectRead & { otherAccounts: number }) | { givenBack: Uint8Array }> {
    const entry = this.prepare(rules);
    entry.busy++;
    try {
      const ruleset = rules.ruleset;
      let result: FileResult;
      try {
        result = await entry.pool.evaluate(bytes, ruleset.context.learnedLogBuckets(), ruleset.firstTimeNs, accounts ? [...accounts] : undefined);
      } catch (e) {
        // A worker that failed ends its pool; the next object starts another (this one is retried).
        if (this.pools.get(rules) === entry) this.pools.delete(rules);
        void entry.pool.close();
        throw e;
      }
      if (result.givenBack) {
        entry.pool.drop(result.job);
        return { givenBack: result.bytes ?? bytes };
      }
      // What the object taught (log buckets named by CreateTrail, the first event's time) goes on to the next ones.
      ruleset.resumeRun(ruleset.firstTimeNs ?? result.firstTimeAfter, [...new Set([...ruleset.context.learnedLogBuckets(), ...result.learnedAfter])]);
      await decide(result, rules.stateful, entry.pool, out, seen);
      return objectRead(result);
    } finally {
      entry.busy--;
      void this.closeIdle(false);
    }
  }

  /** Starts the workers for these rules (they take a moment to load them), if not started yet. */
  prepare(rules: ActiveRules): { pool: EvaluatorPool; busy: number } {
    let entry = this.pools.get(rules);
    if (!entry) {
      // This thread fetches, keeps the state and delivers: the workers do all the evaluating.
      entry = { pool: new EvaluatorPool(this.workers, { files: [...rules.files], options: rules.loadOptions, read: this.read }), busy: 0 };
      this.pools.set(rules, entry);
      this.latest = rules;
    }
    return entry;
  }

  async close(): Promise<void> {
    await this.closeIdle(true);
  }

  /** Ends the pools of earlier rules that no object uses any more (all of them when closing). */
  private async closeIdle(all: boolean): Promise<void> {
    const idle = [...this.pools].filter(([rules, e]) => all || (rules !== this.latest && e.busy === 0));
    for (const [rules] of idle) this.pools.delete(rules);
    await Promise.all(idle.map(([, e]) => e.pool.close()));
  }
}

/** Drops records already seen, folds the steps of the others into the state, and adds their evaluations to `out`. */
async function decide(result: FileResult, stateful: StatefulRuleset, pool: EvaluatorPool, out: RecordsOutcome, seen: SeenEvents | undefined): Promise<void> {
  // Each record's index among the object's kept records, -1 when repeated.
  const kept = new Int32Array(result.count);
  let next = 0;
  result.ids.forEach((id, i) => {
    if (id !== null && seen) {
      if (seen.has(id) || out.eventIds.has(id)) {
        out.repeated++;
        kept[i] = -1;
        return;
      }
      out.eventIds.add(id);
    }
    kept[i] = next++;
  });
  const steps = stepsOfKept(result.steps, kept);
  let stateAlerts = new Map<number, Alert[]>();
  if (steps.length) {
    let decisions;
    try {
      decisions = await stateful.decide(steps);
    } catch (e) {
      pool.drop(result.job);
      throw e;
    }
    stateAlerts = await alertsOfDecisions(decisions, result.job, stateful, pool);
  } else pool.drop(result.job);
  let note = 0;
  for (let i = 0; i < result.count; i++) {
    const r = result.notes[note]?.i === i ? result.notes[note++] : undefined;
    const k = kept[i];
    if (k < 0) continue;
    if (r?.skipped) out.skipped++;
    else out.evaluated++;
    for (const a of r?.alerts ?? []) out.alerts.push(a);
    for (const a of stateAlerts.get(k) ?? []) out.alerts.push(a);
    const id = result.ids[i];
    for (const err of r?.errors ?? []) out.errors.push(`record ${result.ns ? result.ns[i] : i + 1}${id !== null ? ` (eventID ${id})` : ""}: ${err}`);
  }
}

/** What reading the object found, as readLogObject says it. */
function objectRead(result: FileResult): LogObjectRead & { otherAccounts: number } {
  const out: LogObjectRead & { otherAccounts: number } = { records: result.count + result.otherAccounts, badRecords: [], otherAccounts: result.otherAccounts };
  const problems: string[] = [];
  for (const p of result.problems) {
    const text = p.where ? `${p.where}: ${p.message}` : p.message;
    if (p.kind === "record") out.badRecords.push(text.replace(": record is not a JSON object", ": not a JSON object"));
    else problems.push(text);
  }
  const damage: string[] = [];
  if (result.read?.damage) damage.push(result.read.damage);
  if (problems.length) damage.push(`not valid JSON: ${problems.slice(0, 3).join("; ")}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ""}`);
  if (result.read?.empty) damage.push("the object is empty");
  if (damage.length) out.damage = damage.join("; ");
  if (result.read?.tooLarge) out.tooLarge = result.read.tooLarge;
  return out;
}
