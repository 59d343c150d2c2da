import type { Evaluation, Ruleset, WatchedMatch } from "../engine";
import { readInput } from "../ingest/inputs";
import { readLogBytes, type ReadOutcome } from "../ingest/logReader";
import type { RecordSink } from "../ingest/records";
import { eventIdOf } from "../ingest/seenEvents";
import type { Plan } from "../stateful/plan";
import type { FileJob, FileResult, RecordNote, WorkerSetup } from "./protocol";

/**
 * Reads one file (or log object's bytes) and evaluates its records against every rule, each
 * record as soon as it is parsed, without state: single-event alerts are kept per record, and
 * stateful matches become steps (see Plan) for the thread that keeps the state. Worker threads do
 * this, and so does the main thread when it has nothing to fold.
 */
export class FileEvaluator {
  constructor(
    private readonly ruleset: Ruleset,
    private readonly plan: Plan,
    private readonly read: WorkerSetup["read"],
  ) {}

  /**
   * `hold` keeps a stateful match (of the record numbered `n` in the input) until the state
   * decides about it and returns what the step carries as `src`. `recordsNow`: make now what a
   * waiting follower keeps (the record is about to be out of reach, in another thread); otherwise
   * it is made only if needed. `keepText` is given the text of an input parsed whole.
   */
  async evaluate(job: FileJob, hold: (match: WatchedMatch, n: number) => unknown, recordsNow: boolean, keepText?: (text: string) => void): Promise<FileResult> {
    const { ruleset, plan } = this;
    const result: FileResult = { type: "file", job: job.job, count: 0, ids: [], notes: [], steps: [], otherAccounts: 0, problems: [], inputProblems: [], learnedGiven: job.learned.length, learnedAfter: [] };
    if (job.firstTimeNs !== undefined) result.firstTimeGiven = job.firstTimeNs;
    const accounts = job.accounts ? new Set(job.accounts) : undefined;
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
          const note: RecordNote = { i };
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
          if (recordsNow && typeof step.rec === "function") step.rec = step.rec();
          step.src = hold(w, n);
          result.steps.push(step);
        });
      },
      error: (message, where, kind) => result.problems.push({ message, ...(where === undefined ? {} : { where }), ...(kind === undefined ? {} : { kind }) }),
    };
    if (job.bytes) {
      // As for files: an object longer than a whole parse is given back unread, to be streamed.
      const outcome = await readLogBytes(job.bytes, sink, { ...this.read, capPlain: true, wholeOnly: true, keepText: keepText !== undefined });
      if (outcome.text !== undefined) keepText?.(outcome.text);
      if (outcome.notWhole) {
        result.givenBack = true;
        result.bytes = job.bytes;
        return result;
      }
      result.read = { empty: outcome.empty === true || outcome.bytes === 0, ...(outcome.damage ? { damage: outcome.damage } : {}), ...(outcome.tooLarge ? { tooLarge: outcome.tooLarge } : {}) };
    } else {
      // Only what parses whole is read here: a longer file is given back unread (see FileResult.givenBack).
      const outcome = (o: ReadOutcome) => {
        result.givenBack = o.notWhole;
        if (o.text !== undefined) keepText?.(o.text);
      };
      result.inputProblems = await readInput(job.path!, sink, { ...this.read, wholeOnly: true, keepText: keepText !== undefined }, undefined, { outcome });
      if (result.givenBack) return result;
    }
    if (ns) result.ns = ns;
    result.learnedAfter = ruleset.context.learnedLogBuckets();
    if (ruleset.firstTimeNs !== undefined) result.firstTimeAfter = ruleset.firstTimeNs;
    return result;
  }
}
