import { parentPort, workerData } from "node:worker_threads";
import type { Alert, Evaluation, ExactSource, WatchedMatch } from "../engine";
import { readInput } from "../ingest/inputs";
import type { RecordSink } from "../ingest/records";
import { eventIdOf } from "../ingest/seenEvents";
import { MemoryStore } from "../state/memory";
import { loadStatefulRules } from "../stateful";
import type { FileJob, FileResult, FromWorker, RecordResult, ToWorker, WorkerSetup } from "./protocol";

/**
 * A worker thread of a parallel scan: reads the files it is given and evaluates their records
 * against the rules (loaded here from the same files as the main thread's), one file at a time.
 * State is not kept here: the main thread folds the steps of stateful matches in input order.
 */

const setup = workerData as WorkerSetup;
const port = parentPort!;
const loaded = loadStatefulRules(setup.files, setup.options, new MemoryStore());
if (!loaded.ok || !loaded.ruleset || !loaded.stateful) throw new Error("the rules did not load in a worker");
const ruleset = loaded.ruleset;
const plan = loaded.stateful.plan;
/** The stateful matches of files whose alerts are not decided yet, by job. */
const held = new Map<number, WatchedMatch[]>();

const send = (m: FromWorker) => port.postMessage(m);

async function evaluateFile(job: FileJob): Promise<FileResult> {
  const records: { record: Record<string, unknown>; exact: ExactSource | undefined; n: number }[] = [];
  const problems: FileResult["problems"] = [];
  const sink: RecordSink = {
    record: (record, exact, n) => records.push({ record, exact, n }),
    error: (message, where) => problems.push(where === undefined ? { message } : { message, where }),
  };
  // Only what parses whole is read here: a longer file is given back (see FileResult.givenBack).
  let givenBack = false;
  const inputProblems = await readInput(job.path, sink, { ...setup.read, wholeOnly: true }, undefined, { outcome: (o) => (givenBack = o.notWhole === true) });
  if (givenBack) return { type: "file", job: job.job, givenBack: true, records: [], problems: [], inputProblems: [], learnedGiven: job.learned.length, learnedAfter: [] };
  ruleset.resumeRun(job.firstTimeNs, job.learned);
  const matches: WatchedMatch[] = [];
  const out: RecordResult[] = records.map(({ record, exact, n }, i) => {
    let e: Evaluation;
    try {
      e = ruleset.inspect(record, exact);
    } catch (err) {
      e = { alerts: [], errors: [err instanceof Error ? err.message : String(err)] };
    }
    const r: RecordResult = { n, alerts: e.alerts };
    const id = eventIdOf(record);
    if (id !== undefined) r.id = id;
    if (e.skipped) {
      r.skipped = e.skipped;
      r.record = record;
    }
    if (e.errors) r.errors = e.errors;
    if (e.watched) {
      r.steps = e.watched.map((w, j) => {
        const step = plan.fromMatch(w, [i, j]);
        // What a waiting follower keeps is made here, where the record is.
        if (typeof step.rec === "function") step.rec = step.rec();
        step.src = matches.push(w) - 1;
        return step;
      });
    }
    return r;
  });
  if (matches.length) held.set(job.job, matches);
  const result: FileResult = { type: "file", job: job.job, records: out, problems, inputProblems, learnedGiven: job.learned.length, learnedAfter: ruleset.context.learnedLogBuckets() };
  if (job.firstTimeNs !== undefined) result.firstTimeGiven = job.firstTimeNs;
  if (ruleset.firstTimeNs !== undefined) result.firstTimeAfter = ruleset.firstTimeNs;
  return result;
}

// Files one at a time (the run's position is set per file); alert builds whenever they come.
let queue = Promise.resolve();
port.on("message", (m: ToWorker) => {
  if (m.type === "file") {
    queue = queue.then(async () => {
      try {
        send(await evaluateFile(m));
      } catch (e) {
        send({ type: "failed", job: m.job, message: e instanceof Error ? e.message : String(e) });
      }
    });
  } else if (m.type === "build") {
    const matches = held.get(m.job) ?? [];
    held.delete(m.job);
    try {
      const alerts: Alert[] = m.items.map(({ handle, details }) => {
        const alert = matches[handle].alert();
        alert.details = details;
        return alert;
      });
      send({ type: "built", job: m.job, alerts });
    } catch (e) {
      send({ type: "failed", job: m.job, message: e instanceof Error ? e.message : String(e) });
    }
  } else {
    held.delete(m.job);
  }
});
