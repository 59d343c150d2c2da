import { parentPort, workerData } from "node:worker_threads";
import { MemoryStore } from "../state/memory";
import { loadStatefulRules } from "../stateful";
import { FileEvaluator } from "./fileEvaluation";
import { HeldMatches } from "./heldMatches";
import type { FileJob, FileResult, FromWorker, ToWorker, WorkerSetup } from "./protocol";
import { packSteps } from "./stepWire";

/**
 * A worker thread of a parallel scan or connector: reads the files (or log objects' bytes) it is
 * given and evaluates their records against the rules (loaded here from the same files as the main
 * thread's), one file at a time (see FileEvaluator). State is not kept here: the main thread folds
 * the steps of stateful matches in input order.
 */

const setup = workerData as WorkerSetup;
const port = parentPort!;
const loaded = loadStatefulRules(setup.files, setup.options, new MemoryStore());
if (!loaded.ok || !loaded.ruleset || !loaded.stateful) throw new Error("the rules did not load in a worker");
const ruleset = loaded.ruleset;
const plan = loaded.stateful.plan;
/** The stateful matches of files whose alerts are not decided yet, by job. */
const held = new Map<number, HeldMatches>();

const send = (m: FromWorker) => port.postMessage(m);

/** A file's result with its steps packed, their typed arrays moved rather than copied. */
function sendFile(result: FileResult): void {
  if (!result.steps.length) return send(result);
  const packed = packSteps(result.steps, result.ids);
  port.postMessage({ ...result, steps: [], packed } satisfies FileResult, [packed.ints.buffer, packed.times.buffer, packed.marks.buffer] as ArrayBuffer[]);
}

const evaluator = new FileEvaluator(ruleset, plan, setup.read);

async function evaluateFile(job: FileJob): Promise<FileResult> {
  const matches = new HeldMatches(ruleset);
  // A match stays here; its step carries its number among the file's matches.
  const result = await evaluator.evaluate(job, (w, n) => matches.hold(w, n), true, (text) => matches.keepText(text));
  if (matches.size) held.set(job.job, matches);
  return result;
}

send({ type: "ready" });

// Files one at a time (the run's position is set per file); alert builds whenever they come.
let queue = Promise.resolve();
port.on("message", (m: ToWorker) => {
  if (m.type === "file") {
    queue = queue.then(async () => {
      try {
        sendFile(await evaluateFile(m));
      } catch (e) {
        send({ type: "failed", job: m.job, message: e instanceof Error ? e.message : String(e) });
      }
    });
  } else if (m.type === "build") {
    const matches = held.get(m.job);
    held.delete(m.job);
    try {
      if (!matches) throw new Error(`no matches are held for file ${m.job}`);
      send({ type: "built", job: m.job, alerts: matches.build(m.items) });
    } catch (e) {
      send({ type: "failed", job: m.job, message: e instanceof Error ? e.message : String(e) });
    }
  } else {
    held.delete(m.job);
  }
});
