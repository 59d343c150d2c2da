import type { DeploymentContext } from "./context";
import { isRfc3339, parseRfc3339 } from "./time";

export type CloudTrailRecord = Record<string, unknown>;

/**
 * Readers parse whole files natively, which may print a number differently than the file wrote it
 * (2048.0 becomes 2048). They pass this to get the exact twin of a record: `exact()` is only called
 * when a field prints JSON holding a number that may have been written otherwise, and returns
 * undefined when the native parse was already exact. `candidates`, when the reader can tell, gives
 * the values of the record's number tokens that may be written otherwise (a superset: see
 * candidateValues); a number not among them prints as parsed. Without it any number may differ.
 */
export interface ExactSource {
  exact(): CloudTrailRecord | undefined;
  candidates?(): ReadonlySet<number>;
  /**
   * The record's own text as the input wrote it (so with its numbers as written), when the reader
   * can tell it for certain; a copy, so that keeping it keeps nothing else of the input.
   */
  text?(): string | undefined;
}

/** Facts about the run that generic `evt.*` fields report. */
export interface RunInfo {
  hostname: string;
  /** Time of the first event evaluated, for `evt.reltime`. */
  firstTimeNs?: bigint;
  /** The deployment as the rules' context lists describe it and the records so far revealed it. */
  context?: DeploymentContext;
}

/**
 * One CloudTrail record as the engine sees it: the parsed record, its sequence number and its
 * time. Expensive derived values are computed on first use and kept for the other rules.
 */
export class EventContext {
  private timeCache?: bigint;
  private exactCache?: CloudTrailRecord;
  /** Per-event memo for costly extractions (compact JSON, ct.info...), keyed by field. */
  private memo?: Map<string, unknown>;

  constructor(
    readonly record: CloudTrailRecord,
    readonly num: bigint,
    readonly run: RunInfo,
    /** Gives the record parsed with every number as written, when the reader parsed it natively. */
    private readonly exactSource?: ExactSource,
  ) {}

  get timeNs(): bigint {
    if (this.timeCache === undefined) this.timeCache = parseRfc3339(this.record.eventTime as string) ?? 0n;
    return this.timeCache;
  }

  /** The record with every number as written, for fields that print JSON. */
  get exact(): CloudTrailRecord {
    return (this.exactCache ??= this.exactSource?.exact() ?? this.record);
  }

  /** Whether a number of the record may print otherwise than the input wrote it (see ExactSource). */
  numberMayDiffer(value: number): boolean {
    const source = this.exactSource;
    if (!source) return false;
    return source.candidates ? source.candidates().has(value) : true;
  }

  /** True when every number of the record prints as the input wrote it: the native record is exact. */
  get numbersAsWritten(): boolean {
    const source = this.exactSource;
    return !source || (source.candidates !== undefined && source.candidates().size === 0);
  }

  /** The record's text as the input wrote it, when the reader has it (see ExactSource.text). */
  get ownText(): string | undefined {
    return this.exactSource?.text?.();
  }

  /** The value kept under a key by `memoize` or `remember`, if any. */
  recall(key: string): unknown {
    return this.memo?.get(key);
  }

  /** Keeps a value under a key for the other rules (what `memoize` does, without a function to call). */
  remember<T>(key: string, value: T): T {
    (this.memo ??= new Map()).set(key, value);
    return value;
  }

  memoize<T>(key: string, compute: () => T): T {
    this.memo ??= new Map();
    const known = this.memo.get(key);
    if (known !== undefined || this.memo.has(key)) return known as T;
    const v = compute();
    this.memo.set(key, v);
    return v;
  }
}

/**
 * Why the cloudtrail plugin would not turn this record into an event, or undefined when it would:
 * it needs a string RFC 3339 `eventTime` and a string `eventType` other than `AwsCloudTrailInsight`.
 */
export function skipReason(record: unknown): string | undefined {
  if (record === null || typeof record !== "object" || Array.isArray(record)) return "record is not a JSON object";
  const r = record as CloudTrailRecord;
  if (typeof r.eventTime !== "string") return "record has no string eventTime";
  if (!isRfc3339(r.eventTime)) return `eventTime '${r.eventTime}' is not RFC 3339`;
  if (typeof r.eventType !== "string") return "record has no string eventType";
  if (r.eventType === "AwsCloudTrailInsight") return "CloudTrail Insights events are not evaluated";
  return undefined;
}
