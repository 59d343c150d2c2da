import type { Alert, Evaluation, Ruleset } from "../engine";
import type { ExactSource } from "../engine";
import { inputSizes, listInputs, readInput, type ScanInputsResult, type ScanPlan } from "../ingest/inputs";
import type { RecordSink } from "../ingest/records";
import type { SeenEvents } from "../ingest/seenEvents";
import { EvaluatorPool } from "../parallel/pool";
import type { FileResult, WorkerSetup } from "../parallel/protocol";
import type { StatefulRuleset } from "../stateful";
import type { Step } from "../stateful/plan";

/**
 * `scan --workers N`: worker threads read and evaluate whole files, several at once, while this
 * thread takes their results strictly in input order and does what depends on everything before:
 * it drops repeated events, folds the stateful matches into the state (so every group sees its
 * matches in the same order as with one worker), asks the worker that holds a match for the alert
 * the state decided, and reports. Alerts are therefore those of a scan with one worker.
 *
 * What a file's evaluation needs of the files before it (the log buckets learned from CreateTrail
 * and UpdateTrail, the time of the run's first event) is given with the file; in the rare case
 * that an earlier file changed it after the file was sent, the file is evaluated again.
 */

export interface ParallelScanHandler {
  /** `record` is given only for a skipped record. */
  report(evaluation: Evaluation, input: string, n: number, record: unknown): void;
  error(input: string, message: string, where?: string): void;
  repeated(input: string): void;
  /** The state failed: nothing more is evaluated. */
  stateFailed(message: string): void;
  drain(): Promise<void>;
  inputDone(input: string): void;
  /** The inputs' sizes, for a progress line: called once, before any is read. */
  planned?(plan: ScanPlan): void;
  /**
   * A record of a file read in this thread (see LOCAL_BYTES), handled as a scan with one worker
   * does; `drain` then evaluates what it gathered.
   */
  record(record: Record<string, unknown>, input: string, exact: ExactSource | undefined, n: number): void;
}

export interface ParallelScanOptions {
  workers: number;
  setup: WorkerSetup;
  ruleset: Ruleset;
  stateful?: StatefulRuleset;
  seen: SeenEvents;
}

/**
 * Files larger than this (on disk: a gzip file may hold ten times more) are read in this thread, as
 * a scan with one worker reads them, streamed and evaluated chunk by chunk: a worker holds a
 * whole file's records at once, and memory must stay bounded whatever the size of one input.
 */
export const LOCAL_BYTES = 1024 * 1024;

export async function scanInParallel(args: readonly string[], handler: ParallelScanHandler, options: ParallelScanOptions): Promise<ScanInputsResult> {
  const failed = new Set<string>();
  const onError = (input: string, message: string, where?: string) => {
    failed.add(input);
    handler.error(input, message, where);
  };
  let missing = 0;
  const inputs = await listInputs(args, (input, message) => {
    missing++;
    onError(input, message);
  });
  const { sizes, total } = await inputSizes(inputs);
  let bytesDone = 0;
  handler.planned?.({ inputs: inputs.length, bytes: total, bytesRead: () => bytesDone });
  const local = (input: string) => (sizes.get(input) ?? Infinity) > LOCAL_BYTES;
  /** Reads a file in this thread, with the run as it stands; what it teaches goes on to the next files. */
  const readHere = async (input: string) => {
    options.ruleset.resumeRun(firstTimeNs, learned);
    const sink: RecordSink = { record: (r, exact, n) => handler.record(r, input, exact, n), error: (message, where) => onError(input, message, where) };
    for (const problem of await readInput(input, sink, { ...options.setup.read, drain: () => handler.drain() })) onError(input, problem);
    await handler.drain();
    firstTimeNs ??= options.ruleset.firstTimeNs;
    for (const b of options.ruleset.context.learnedLogBuckets()) {
      if (!known.has(b)) {
        known.add(b);
        learned.push(b);
      }
    }
  };
  const pool = new EvaluatorPool(Math.min(options.workers, Math.max(1, inputs.length)), options.setup);
  const learned: string[] = [];
  const known = new Set<string>();
  let firstTimeNs: bigint | undefined;
  let stateError = false;
  const results: Promise<FileResult>[] = [];
  let sent = 0;
  // Enough files in hand that no worker waits while this thread works through a result.
  const ahead = 2 * options.workers;
  try {
    for (let k = 0; k < inputs.length; k++) {
      // Until the run's first event is known, files go one at a time (each needs its time).
      const limit = firstTimeNs === undefined ? k + 1 : k + ahead;
      for (; sent < inputs.length && sent < limit; sent++) {
        if (!local(inputs[sent])) results[sent] = pool.evaluate(inputs[sent], [...learned], firstTimeNs);
      }
      const input = inputs[k];
      // A worker gives back a file whose text is too long to parse whole: it is streamed here too.
      const back = local(input) ? undefined : await results[k];
      if (back?.givenBack) {
        delete results[k];
        pool.drop(back.job);
      }
      if (local(input) || back?.givenBack) {
        if (!stateError) await readHere(input);
        await handler.drain();
        bytesDone += sizes.get(input) ?? 0;
        handler.inputDone(input);
        continue;
      }
      let result = await results[k];
      delete results[k];
      if (result.learnedGiven !== learned.length || result.firstTimeGiven !== firstTimeNs) {
        pool.drop(result.job);
        result = await pool.evaluate(inputs[k], [...learned], firstTimeNs);
      }
      firstTimeNs ??= result.firstTimeAfter;
      for (const b of result.learnedAfter) {
        if (!known.has(b)) {
          known.add(b);
          learned.push(b);
        }
      }
      // Records released from state here are evaluated in this thread, with the run as it stands.
      options.ruleset.resumeRun(firstTimeNs, learned);
      for (const p of result.problems) onError(input, p.message, p.where);
      if (!stateError) stateError = !(await reportFile(result, input, pool, handler, options));
      else pool.drop(result.job);
      for (const problem of result.inputProblems) onError(input, problem);
      await handler.drain();
      bytesDone += sizes.get(input) ?? 0;
      handler.inputDone(input);
    }
  } finally {
    await pool.close();
  }
  return { inputs: inputs.length + missing, unreadable: failed.size };
}

/** Reports a file's records in order, with the alerts the state decides; false when the state failed. */
async function reportFile(result: FileResult, input: string, pool: EvaluatorPool, handler: ParallelScanHandler, options: ParallelScanOptions): Promise<boolean> {
  const kept: FileResult["records"] = [];
  const steps: Step[] = [];
  for (const r of result.records) {
    if (r.id !== undefined && !options.seen.add(r.id)) {
      handler.repeated(input);
      continue;
    }
    const i = kept.length;
    kept.push(r);
    for (const s of r.steps ?? []) {
      s.pos = [i, ...s.pos.slice(1)];
      steps.push(s);
    }
  }
  const stateAlerts = new Map<number, Alert[]>();
  let ok = true;
  if (steps.length && options.stateful) {
    try {
      const decisions = await options.stateful.decide(steps);
      const remote = decisions.filter((d) => typeof d.step.src === "number");
      const built = remote.length ? await pool.build(result.job, remote.map((d) => ({ handle: d.step.src as number, details: d.details }))) : [];
      if (!remote.length) pool.drop(result.job);
      let b = 0;
      for (const d of decisions) {
        // A match made here (a follower released from state) builds its alert here.
        const alert = typeof d.step.src === "number" ? built[b++] : options.stateful.alertOf(d);
        let list = stateAlerts.get(d.pos[0]);
        if (!list) stateAlerts.set(d.pos[0], (list = []));
        list.push(alert);
      }
    } catch (e) {
      handler.stateFailed((e as Error).message);
      ok = false;
    }
  } else pool.drop(result.job);
  if (!ok) return false;
  kept.forEach((r, i) => {
    const extra = stateAlerts.get(i);
    const e: Evaluation = { alerts: extra ? [...r.alerts, ...extra] : r.alerts };
    if (r.skipped) e.skipped = r.skipped;
    if (r.errors) e.errors = r.errors;
    handler.report(e, input, r.n, r.record);
  });
  return true;
}
