import { parentPort, workerData } from "node:worker_threads";
import type { Alert, Evaluation, WatchedMatch } from "../engine";
import { readInput } from "../ingest/inputs";
import { readLogBytes } from "../ingest/logReader";
import type { RecordSink } from "../ingest/records";
import { eventIdOf } from "../ingest/seenEvents";
import { MemoryStore } from "../state/memory";
import { loadStatefulRules } from "../stateful";
import type { FileJob, FileResult, FromWorker, ToWorker, WorkerSetup } from "./protocol";

/**
 * A worker thread of a parallel scan or connector: reads the files (or log objects' bytes) it is
 * given and evaluates their records against the rules (loaded here from the same files as the main
 * thread's), one file at a time, each record as soon as it is parsed. State is not kept here: the
 * main thread folds the steps of stateful matches in input order.
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
  const result: FileResult = { type: "file", job: job.job, count: 0, ids: [], notes: [], steps: [], otherAccounts: 0, problems: [], inputProblems: [], learnedGiven: job.learned.length, learnedAfter: [] };
  if (job.firstTimeNs !== undefined) result.firstTimeGiven = job.firstTimeNs;
  const accounts = job.accounts ? new Set(job.accounts) : undefined;
  const matches: WatchedMatch[] = [];
  let ns: number[] | undefined;
  ruleset.resumeRun(job.firstTimeNs, job.learned);
  const sink: RecordSink = {
    record(record, exact, n) {
      if (accounts) {
        const account = record.recipientAccountId;
        if (typeof account !== "string" || !accounts.has(account)) {
          result.otherAccounts++;
          return;
        }
      }
      const i = result.count++;
      if (ns) ns.push(n);
      else if (n !== i + 1) ns = [...Array.from({ length: i }, (_, k) => k + 1), n];
      result.ids.push(eventIdOf(record) ?? null);
      let e: Evaluation;
      try {
        e = ruleset.inspect(record, exact);
      } catch (err) {
        e = { alerts: [], errors: [err instanceof Error ? err.message : String(err)] };
      }
      if (e.alerts.length || e.skipped || e.errors) {
        const note: FileResult["notes"][number] = { i };
        if (e.alerts.length) note.alerts = e.alerts;
        if (e.skipped) {
          note.skipped = e.skipped;
          note.record = record;
        }
        if (e.errors) note.errors = e.errors;
        result.notes.push(note);
      }
      e.watched?.forEach((w, j) => {
        const step = plan.fromMatch(w, [i, j]);
        // What a waiting follower keeps is made here, where the record is.
        if (typeof step.rec === "function") step.rec = step.rec();
        step.src = matches.push(w) - 1;
        result.steps.push(step);
      });
    },
    error: (message, where, kind) => result.problems.push({ message, ...(where === undefined ? {} : { where }), ...(kind === undefined ? {} : { kind }) }),
  };
  if (job.bytes) {
    const outcome = await readLogBytes(job.bytes, sink, { ...setup.read, capPlain: true });
    result.read = { empty: outcome.empty === true || outcome.bytes === 0, ...(outcome.damage ? { damage: outcome.damage } : {}), ...(outcome.tooLarge ? { tooLarge: outcome.tooLarge } : {}) };
  } else {
    result.inputProblems = await readInput(job.path!, sink, setup.read);
  }
  if (ns) result.ns = ns;
  if (matches.length) held.set(job.job, matches);
  result.learnedAfter = ruleset.context.learnedLogBuckets();
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
