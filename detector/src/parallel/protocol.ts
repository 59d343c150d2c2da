import type { Alert, Priority, RulesFile, TimeFormat } from "../engine";
import type { Step } from "../stateful/plan";

/**
 * Messages between the thread that keeps state and writes alerts and the worker threads that read
 * and evaluate log files. A worker evaluates a whole file against every rule, single-event and
 * stateful alike, and returns its single-event alerts and the steps of its stateful matches as
 * plain data (see Plan); the matches themselves stay in the worker until the state has decided
 * which of them alert, and the worker then builds those alerts.
 */

export interface WorkerSetup {
  files: RulesFile[];
  options: { ruleMatching: "first" | "all"; minimumPriority: Priority; hostname: string; timeFormat: TimeFormat };
  read: { wholeBytes: number; maxBytes?: number; raiseHint?: string };
}

/** Evaluate one file, with the run as it stands before it (see Ruleset.resumeRun). */
export interface FileJob {
  type: "file";
  job: number;
  path: string;
  learned: string[];
  firstTimeNs?: bigint;
}

export interface RecordResult {
  /** The record's number in its input, from 1. */
  n: number;
  id?: string;
  skipped?: string;
  /** The record itself, only when skipped (what it is, for the report about its input). */
  record?: unknown;
  errors?: string[];
  alerts: Alert[];
  /** Steps of its stateful matches; `src` is the match's handle in the worker. */
  steps?: Step[];
}

export interface FileResult {
  type: "file";
  job: number;
  /**
   * The file's text is longer than a worker parses whole (a small gzip file may hold a lot): a
   * worker would hold all its records at once, so it gives the file back, for the main thread to
   * stream; the rest of the result is empty.
   */
  givenBack?: true;
  records: RecordResult[];
  /** Problems with single records or parts of the input, as the reader reported them. */
  problems: { message: string; where?: string }[];
  /** Problems of the input itself (damaged, too large, unreadable). */
  inputProblems: string[];
  /** What the job was given, to tell whether it was evaluated with the run as it really stood. */
  learnedGiven: number;
  firstTimeGiven?: bigint;
  /** The run after the file. */
  learnedAfter: string[];
  firstTimeAfter?: bigint;
}

/** Build the alerts of these matches of a file (and forget its matches). */
export interface BuildJob {
  type: "build";
  job: number;
  items: { handle: number; details: Record<string, unknown> }[];
}

export interface Built {
  type: "built";
  job: number;
  alerts: Alert[];
}

/** Forget a file's matches: none of them alerts. */
export interface DropJob {
  type: "drop";
  job: number;
}

export interface WorkerFailure {
  type: "failed";
  job?: number;
  message: string;
}

export type ToWorker = FileJob | BuildJob | DropJob;
export type FromWorker = FileResult | Built | WorkerFailure;
