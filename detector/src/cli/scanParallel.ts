import type { Alert, Evaluation, Ruleset } from "../engine";
import type { ExactSource } from "../engine";
import { inputSizes, listInputs, readInput, type ScanInputsResult, type ScanPlan } from "../ingest/inputs";
import type { RecordSink } from "../ingest/records";
import type { SeenEvents } from "../ingest/seenEvents";
import { EvaluatorPool } from "../parallel/pool";
import type { FileJob, FileResult, WorkerSetup } from "../parallel/protocol";
import { HeldMatches } from "../parallel/heldMatches";
import { alertsOfDecisions, stepsOfKept } from "../parallel/stateDecisions";
import type { StatefulRuleset } from "../stateful";
import type { Plan } from "../stateful/plan";
import { FileEvaluator } from "../parallel/fileEvaluation";
import type { Decision } from "../stateful/pipeline";

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
  /** The stateful rules' plan (loaded even when no rule keeps state). */
  plan: Plan;
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
  // This thread is one of the threads: it evaluates files too, whenever the next result to fold is not in.
  const pool = new EvaluatorPool(Math.max(1, Math.min(options.workers - 1, inputs.length - 1)), options.setup);
  const evaluator = new FileEvaluator(options.ruleset, options.plan, options.setup.read);
  // Matches of files evaluated here out of turn are held as a worker holds them (see HeldMatches).
  const heldHere = new WeakMap<FileResult, HeldMatches>();
  const evaluateHere = async (input: string) => {
    const held = new HeldMatches(options.ruleset);
    const job: FileJob = { type: "file", job: -1, path: input, learned: [...learned], ...(firstTimeNs === undefined ? {} : { firstTimeNs }) };
    const result = await evaluator.evaluate(job, (w, n) => held.hold(w, n), true, (text) => held.keepText(text));
    heldHere.set(result, held);
    return result;
  };
  const learned: string[] = [];
  const known = new Set<string>();
  let firstTimeNs: bigint | undefined;
  let stateError = false;
  const jobs: { done: boolean; result: Promise<FileResult> }[] = [];
  const track = (result: Promise<FileResult>) => {
    const job = { done: false, result };
    result.then(
      () => (job.done = true),
      () => (job.done = true),
    );
    return job;
  };
  let sent = 0;
  // Files ahead of the one being folded, and in each worker's hands: enough that no worker waits
  // while this thread works (3 measured a little faster than 2, as fast as 4).
  const ahead = 3 * options.workers;
  const depth = 3;
  // Files are reported in order once their alerts are built, while later files are decided: this
  // thread does not wait for a worker to come back with alerts before it goes on.
  let reporting: Promise<void> = Promise.resolve();
  const reported: Promise<void>[] = [];
  const then = (k: number, step: () => Promise<void>) => {
    reporting = reporting.then(step);
    // Failures surface where the reports are awaited, not as unhandled rejections meanwhile.
    reporting.catch(() => undefined);
    reported[k] = reporting;
  };
  try {
    for (let k = 0; k < inputs.length; k++) {
      // The next file to hand out (large ones are read here in their turn); until the run's first
      // event is known, files go one at a time (each needs its time).
      const next = () => {
        while (sent < inputs.length && local(inputs[sent])) sent++;
        return sent < inputs.length && sent < (firstTimeNs === undefined ? k + 1 : k + ahead) ? sent : undefined;
      };
      // Memory stays bounded: no more than `ahead` files wait to be reported.
      if (k >= ahead) {
        await reported[k - ahead];
        delete reported[k - ahead];
      }
      const input = inputs[k];
      for (;;) {
        for (let i = next(), w = pool.available(depth); i !== undefined && w !== undefined; i = next(), w = pool.available(depth)) {
          jobs[i] = track(pool.evaluate(inputs[i], [...learned], firstTimeNs, undefined, w));
          sent++;
        }
        if (local(input) || jobs[k]?.done) break;
        if (!jobs[k]) {
          jobs[k] = track(evaluateHere(input));
          sent++;
          break;
        }
        // The file is with a worker: its result may be waiting behind what this thread just did
        // (messages are read between tasks); only if it is not back, evaluate a later one here meanwhile.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (jobs[k].done) continue;
        const i = next();
        if (i === undefined) break;
        jobs[i] = track(evaluateHere(inputs[i]));
        sent++;
        await jobs[i].result;
      }
      // A file whose text is too long to parse whole comes back unread: it is streamed here too.
      const back = local(input) ? undefined : await jobs[k].result;
      if (back?.givenBack) {
        delete jobs[k];
        pool.drop(back.job);
      }
      if (local(input) || back?.givenBack) {
        await reporting;
        if (!stateError) await readHere(input);
        await handler.drain();
        bytesDone += sizes.get(input) ?? 0;
        handler.inputDone(input);
        continue;
      }
      let result = await jobs[k].result;
      delete jobs[k];
      if (result.learnedGiven !== learned.length || result.firstTimeGiven !== firstTimeNs) {
        pool.drop(result.job);
        result = await evaluateHere(input);
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
      let decided: Decided | undefined;
      if (!stateError) {
        decided = await decideFile(result, pool, options, heldHere.get(result));
        stateError = "stateFailed" in decided;
      } else pool.drop(result.job);
      const done = result;
      then(k, async () => {
        for (const p of done.problems) onError(input, p.message, p.where);
        if (decided) await reportFile(done, decided, input, handler);
        for (const problem of done.inputProblems) onError(input, problem);
        await handler.drain();
        bytesDone += sizes.get(input) ?? 0;
        handler.inputDone(input);
      });
    }
    await reporting;
  } finally {
    await pool.close();
  }
  return { inputs: inputs.length + missing, unreadable: failed.size };
}

/** What the state decided for a file: which records count (not repeated) and the alerts of their stateful matches. */
type Decided = { kept: Int32Array; alerts: Promise<Map<number, Alert[]>> } | { stateFailed: string };

/** Drops repeated records and folds a file's steps into the state, in order; the alerts come when their worker has built them. */
async function decideFile(result: FileResult, pool: EvaluatorPool, options: ParallelScanOptions, here?: HeldMatches): Promise<Decided> {
  // Each record's index among the file's kept records, -1 when repeated.
  const kept = new Int32Array(result.count);
  let next = 0;
  result.ids.forEach((id, i) => (kept[i] = id !== null && !options.seen.add(id) ? -1 : next++));
  const steps = stepsOfKept(result.steps, kept);
  if (!steps.length || !options.stateful) {
    pool.drop(result.job);
    return { kept, alerts: Promise.resolve(new Map()) };
  }
  let decisions: Decision[];
  try {
    decisions = await options.stateful.decide(steps);
  } catch (e) {
    pool.drop(result.job);
    return { stateFailed: (e as Error).message };
  }
  const alerts = alertsOfDecisions(decisions, result.job, options.stateful, pool, here);
  alerts.catch(() => undefined);
  return { kept, alerts };
}

/** Reports a file's records in order, with the alerts the state decided. */
async function reportFile(result: FileResult, decided: Decided, input: string, handler: ParallelScanHandler): Promise<void> {
  if ("stateFailed" in decided) {
    handler.stateFailed(decided.stateFailed);
    return;
  }
  const stateAlerts = await decided.alerts;
  let note = 0;
  for (let i = 0; i < result.count; i++) {
    const r = result.notes[note]?.i === i ? result.notes[note++] : undefined;
    const k = decided.kept[i];
    if (k < 0) {
      handler.repeated(input);
      continue;
    }
    const extra = stateAlerts.get(k);
    const own = r?.alerts ?? [];
    const e: Evaluation = { alerts: extra ? [...own, ...extra] : own };
    if (r?.skipped) e.skipped = r.skipped;
    if (r?.errors) e.errors = r.errors;
    handler.report(e, input, result.ns ? result.ns[i] : i + 1, r?.record);
  }
}
