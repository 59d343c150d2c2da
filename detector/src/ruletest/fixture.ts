/**
 * One rule-test case, as written in a fixture file (`rules/tests/<theme>/<name>.yaml`):
 *
 * ```yaml
 * - rule: S3 Bucket Public Access Block Removed
 *   description: DeleteBucketPublicAccessBlock by an IAM user
 *   source: "shaped on ... (where the records come from)"
 *   expect: alert            # alert | no_alert | <integer: exact number of alerts of `rule`>
 *   events:                  # CloudTrail records, evaluated in order
 *     - { eventVersion: "1.09", eventTime: "2023-07-10T12:00:00Z", ... }
 * ```
 */

/** `alert`: at least one alert of the rule; `no_alert`: none; a number: exactly that many. */
export type Expectation = { kind: "alert" } | { kind: "no_alert" } | { kind: "count"; count: number };

export interface FixtureCase {
  /** The fixture file, as given to the reader (used in every message about the case). */
  file: string;
  /** 1-based position of the case in its file. */
  index: number;
  /** 1-based line of the case in its file, when known. */
  line?: number;
  rule: string;
  description: string;
  source: string;
  expect: Expectation;
  events: Record<string, unknown>[];
}

/** A case that could not be read: what is wrong with it, and where. */
export interface FixtureProblem {
  file: string;
  index?: number;
  line?: number;
  /** The rule the case names, when it names one (so the problem is counted against that rule). */
  rule?: string;
  message: string;
}

const KEYS = ["rule", "description", "source", "expect", "events"] as const;

export function expectationText(e: Expectation): string {
  return e.kind === "count" ? `exactly ${e.count} alert${e.count === 1 ? "" : "s"}` : e.kind === "alert" ? "at least one alert" : "no alert";
}

/** True when `count` alerts of the rule satisfy the expectation. */
export function meets(e: Expectation, count: number): boolean {
  if (e.kind === "alert") return count >= 1;
  if (e.kind === "no_alert") return count === 0;
  return count === e.count;
}

function parseExpectation(value: unknown): Expectation | string {
  if (value === "alert") return { kind: "alert" };
  if (value === "no_alert") return { kind: "no_alert" };
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return { kind: "count", count: value };
  return `'expect' must be alert, no_alert or a whole number of alerts (0 or more), not ${JSON.stringify(value)}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === "string" && v.trim() !== "";
}

/**
 * Checks one parsed list item of a fixture file and returns the case, or the problems that keep
 * it from being one. Every key is required and no other key is allowed, so a misspelt key
 * (`expected:`) is an error rather than a silently ignored line.
 */
export function readCase(item: unknown, file: string, index: number, line?: number): FixtureCase | FixtureProblem {
  const at = { file, index, line };
  if (!isRecord(item)) return { ...at, message: "a case must be a mapping with keys rule, description, source, expect, events" };
  const rule = nonEmptyString(item.rule) ? item.rule : undefined;
  const problems: string[] = [];
  const unknown = Object.keys(item).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown.length) problems.push(`unknown key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `'${k}'`).join(", ")} (allowed: ${KEYS.join(", ")})`);
  if (!rule) problems.push("'rule' must name the rule under test");
  if (!nonEmptyString(item.description)) problems.push("'description' must say what the case shows");
  if (!nonEmptyString(item.source)) problems.push("'source' must say where the records come from (a shared-data file and record, or 'written by s3guard' and why)");
  const expect = parseExpectation(item.expect);
  if (typeof expect === "string") problems.push(expect);
  const events = item.events;
  if (!Array.isArray(events) || events.length === 0) problems.push("'events' must be a non-empty list of CloudTrail records");
  else events.forEach((ev, i) => {
    if (!isRecord(ev)) problems.push(`event ${i + 1} is not a mapping (a CloudTrail record)`);
  });
  if (problems.length || typeof expect === "string" || !rule) return { ...at, rule, message: problems.join("; ") };
  return { ...at, rule, description: item.description as string, source: item.source as string, expect, events: events as Record<string, unknown>[] };
}

export function isProblem(x: FixtureCase | FixtureProblem): x is FixtureProblem {
  return "message" in x;
}
