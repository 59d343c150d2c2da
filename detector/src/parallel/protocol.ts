import type { Alert, EngineLoadOptions, RulesFile } from "../engine";
import type { StatefulOptions } from "../stateful";
import type { ProblemKind } from "../ingest/records";
import type { Step } from "../stateful/plan";
import type { PackedSteps } from "./stepWire";

/**
 * Messages between the thread that keeps state and writes alerts and the worker threads that read
 * and evaluate log files. A worker evaluates a whole file against every rule, single-event and
 * stateful alike, and returns its single-event alerts and the steps of its stateful matches as
 * plain data (see Plan); the matches themselves stay in the worker (see HeldMatches) until the
 * state has decided which of them alert, and the worker then builds those alerts.
 *
 * Results are compact: cloning a message costs both threads in proportion to the objects in it,
 * so most records (no alert, no problem) are only their eventID, and steps travel packed (see
 * stepWire.ts).
 */

export interface WorkerSetup {
  files: RulesFile[];
  options: EngineLoadOptions & StatefulOptions;
  read: { wholeBytes: number; maxBytes?: number; raiseHint?: string };
}

/** Evaluate one file, or log object given as bytes, with the run as it stands before it (see Ruleset.resumeRun). */
export interface FileJob {
  type: "file";
  job: number;
  /** A file to read, or the bytes of a log object (its size cap then applies to plain text too). */
  path?: string;
  bytes?: Uint8Array;
  learned: string[];
  firstTimeNs?: bigint;
  /** Only records of these accounts are evaluated (the connector's account filter). */
  accounts?: string[];
}

/** What a record gave besides its eventID: only records with alerts, a skip or errors have one. */
export interface RecordNote {
  /** The record's index among those evaluated. */
  i: number;
  alerts?: Alert[];
  skipped?: string;
  /** The record itself, only when skipped (what it is, for the report about its input). */
  record?: unknown;
  errors?: string[];
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
  /** A log object's bytes, with `givenBack`: they moved to the worker, and come back to be streamed. */
  bytes?: Uint8Array;
  /** Records evaluated, in input order. */
  count: number;
  /** Their numbers in the input (from 1), when not simply 1 to `count`. */
  ns?: number[];
  /** Their eventIDs (null: none), to drop records delivered twice. */
  ids: (string | null)[];
  notes: RecordNote[];
  /** Steps of the stateful matches, in record order; `pos[0]` is the record's index, `src` the match's handle in the worker. */
  steps: Step[];
  /** The steps as a worker sends them (see stepWire.ts), `steps` then empty; unpacked as they arrive. */
  packed?: PackedSteps;
  /** Records of other accounts, not evaluated (see FileJob.accounts). */
  otherAccounts: number;
  /** Problems with single records or parts of the input, as the reader reported them. */
  problems: { message: string; where?: string; kind?: ProblemKind }[];
  /** Problems of the input itself (damaged, too large, unreadable). */
  inputProblems: string[];
  /** For bytes: how reading ended (see ReadOutcome). */
  read?: { damage?: string; tooLarge?: string; empty: boolean };
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

/** The worker has loaded the rules and takes files. */
export interface WorkerReady {
  type: "ready";
}

export type ToWorker = FileJob | BuildJob | DropJob;
export type FromWorker = WorkerReady | FileResult | Built | WorkerFailure;
