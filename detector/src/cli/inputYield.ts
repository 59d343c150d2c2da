/**
 * What each scan input yielded, so that wrong input is never silent: an input none of whose
 * records could be evaluated is named with the reason, and a scan that evaluated nothing fails.
 * CloudTrail's own files that hold no events to evaluate (digest files, Insights events) are
 * expected in a synced trail bucket: they are counted in one note, not reported as errors.
 */

interface Tally {
  records: number;
  evaluated: number;
  repeated: number;
  failed: boolean;
  /** Why records were not evaluated, with how many; `NOT_CLOUDTRAIL` for foreign JSON. */
  skipped: Map<string, number>;
}

const NOT_CLOUDTRAIL = "not-cloudtrail";
const DIGEST = "digest";
const INSIGHTS = "CloudTrail Insights events are not evaluated";

export interface InputVerdict {
  level: "error" | "warning";
  text: string;
}

export class InputYield {
  private readonly tallies = new Map<string, Tally>();
  private expected = { digest: 0, insights: 0 };
  /** Records evaluated by the rules over the whole scan. */
  evaluated = 0;
  private stateFailure = false;

  private tally(input: string): Tally {
    let t = this.tallies.get(input);
    if (!t) this.tallies.set(input, (t = { records: 0, evaluated: 0, repeated: 0, failed: false, skipped: new Map() }));
    return t;
  }

  /** A record was evaluated, or not (with the engine's reason). */
  record(input: string, record: unknown, skipped: string | undefined): void {
    const t = this.tally(input);
    t.records++;
    if (!skipped) {
      t.evaluated++;
      this.evaluated++;
      return;
    }
    const why = isDigest(record) ? DIGEST : isForeign(record) ? NOT_CLOUDTRAIL : skipped;
    t.skipped.set(why, (t.skipped.get(why) ?? 0) + 1);
  }

  /** A record not evaluated because its eventID already was. */
  repeated(input: string): void {
    const t = this.tally(input);
    t.records++;
    t.repeated++;
  }

  /** The state store failed: records read since were never evaluated, and that is said once. */
  stateFailed(): void {
    this.stateFailure = true;
  }

  /** The input had a problem already reported (it is named with its reason). */
  failed(input: string): void {
    this.tally(input).failed = true;
  }

  /** What to say about an input once read, if anything. */
  done(input: string): InputVerdict | undefined {
    const t = this.tally(input);
    this.tallies.delete(input);
    if (t.failed && t.evaluated === 0) return undefined;
    if (t.records === 0 && this.stateFailure) return undefined;
    if (t.records === 0) return { level: "error", text: `${input}: no record evaluated: it holds no records (CloudTrail log files are {"Records":[...]})` };
    const notEvaluated = t.records - t.evaluated - t.repeated;
    if (notEvaluated === 0) return undefined;
    // A digest or Insights file is expected in a trail bucket: counted for one note at the end.
    if (t.evaluated === 0 && t.repeated === 0 && t.skipped.size === 1) {
      if (t.skipped.has(DIGEST)) {
        this.expected.digest++;
        return undefined;
      }
      if (t.skipped.has(INSIGHTS)) {
        this.expected.insights++;
        return undefined;
      }
    }
    const reasons = [...t.skipped].sort((a, b) => b[1] - a[1]).map(([why, n]) => `${n} of ${t.records} record(s) ${describe(why)}`);
    if (t.evaluated === 0 && t.repeated === 0) return { level: "error", text: `${input}: no record evaluated: ${reasons.join("; ")}` };
    return { level: "warning", text: `${input}: not every record evaluated: ${reasons.join("; ")}` };
  }

  /** One line about CloudTrail files that hold nothing to evaluate, if any were met. */
  note(): string | undefined {
    const parts = [];
    if (this.expected.digest) parts.push(`${this.expected.digest} CloudTrail digest file(s) (hashes of log files)`);
    if (this.expected.insights) parts.push(`${this.expected.insights} CloudTrail Insights file(s)`);
    return parts.length ? `${parts.join(" and ")} skipped: they hold no events the rules evaluate` : undefined;
  }
}

function describe(why: string): string {
  if (why === NOT_CLOUDTRAIL) return "not CloudTrail JSON (no eventTime, eventName or eventSource; CloudTrail logs are {\"Records\":[...]}, lookup-events output {\"Events\":[...]})";
  if (why === DIGEST) return "CloudTrail digests (hashes of log files, no events)";
  if (why === "record has no string eventTime") return "without eventTime (CloudTrail records carry one; exports from other tools may drop it)";
  return `skipped: ${why.replace(/^record /, "")}`;
}

function isDigest(record: unknown): boolean {
  const r = record as Record<string, unknown>;
  return typeof record === "object" && record !== null && r.digestStartTime !== undefined && r.digestEndTime !== undefined;
}

/** JSON that is no CloudTrail record at all, rather than a record missing one field. */
function isForeign(record: unknown): boolean {
  const r = (typeof record === "object" && record !== null ? record : {}) as Record<string, unknown>;
  return r.eventTime === undefined && r.eventName === undefined && r.eventSource === undefined;
}
