import { atLeast, eventIdOf, loadStatefulRules, SeenEvents, type Priority, type RulesFile } from "s3guard";
import type { CloudTrailRecord } from "./types";

/** An alert as the measurements need it, and the records it stands for. */
export interface FiredAlert {
  rule: string;
  priority: Priority;
  tags: readonly string[];
  /** eventID of the record that raised it. */
  eventId: string;
  /**
   * Records the alert is about: the raising record, a threshold's sample records, the first record
   * of a sequence, or (for a rule that only suppresses repeats) a record counted into an earlier alert.
   */
  covers: string[];
  /** False for a match counted into an earlier alert of the same episode (a suppressed repeat). */
  raised: boolean;
}

function idOf(record: Record<string, unknown>): string {
  return typeof record.eventID === "string" ? record.eventID : "";
}

/** Time order, stable: CloudTrail files are not sorted, and windows follow event time. */
export function inTimeOrder(records: readonly CloudTrailRecord[]): CloudTrailRecord[] {
  const t = (r: CloudTrailRecord) => (typeof r.eventTime === "string" ? Date.parse(r.eventTime) : NaN);
  return records
    .map((r, i) => ({ r, i, t: t(r) }))
    .sort((a, b) => (Number.isNaN(a.t) || Number.isNaN(b.t) ? a.i - b.i : a.t - b.t || a.i - b.i))
    .map((x) => x.r);
}

/** Every record twice in a row, as two trails (or a redelivered notification) deliver it. */
export function deliveredTwice(records: readonly CloudTrailRecord[]): CloudTrailRecord[] {
  return records.flatMap((r) => [r, structuredClone(r)]);
}

/**
 * Runs `files` over `records` in time order with a fresh ruleset (every matching rule alerts, state
 * in memory, a record whose eventID was seen already skipped), as `s3guard scan --rule-matching all`
 * does, and returns the alerts raised plus the
 * matches of suppress-only rules that were counted into an earlier alert of their episode.
 */
export async function runRules(files: readonly RulesFile[], records: readonly CloudTrailRecord[]): Promise<FiredAlert[]> {
  const loaded = loadStatefulRules(files, { ruleMatching: "all" });
  if (!loaded.ok || !loaded.stateful) throw new Error(`the rules do not load: ${loaded.errors.map((e) => e.text).join("\n")}`);
  const stateful = loaded.stateful;
  const suppressOnly = new Set(
    stateful.ruleset.rules
      .filter((r) => r.info.extensions.has("suppress") && !r.info.extensions.has("threshold") && !r.info.extensions.has("sequence"))
      .map((r) => r.name),
  );
  const fired: FiredAlert[] = [];
  const seen = new SeenEvents();
  for (const record of records) {
    const eventId = eventIdOf(record);
    if (eventId !== undefined && !seen.add(eventId)) continue;
    const raisedHere = new Set<string>();
    const { alerts } = await stateful.evaluate(record);
    for (const a of alerts) {
      const details = (a.details ?? {}) as { threshold?: { sampleEventIds?: string[] }; sequence?: { after?: { eventId?: string } } };
      const covers = [idOf(a.event), ...(details.threshold?.sampleEventIds ?? []), ...(details.sequence?.after?.eventId ? [details.sequence.after.eventId] : [])];
      fired.push({ rule: a.rule, priority: a.priority, tags: a.tags, eventId: idOf(a.event), covers, raised: true });
      if (idOf(a.event) === idOf(record as Record<string, unknown>)) raisedHere.add(a.rule);
    }
    // A suppress-only rule's match that raised nothing was counted into its episode's alert.
    for (const w of stateful.ruleset.inspect(record).watched ?? []) {
      if (!w.active || !suppressOnly.has(w.rule.name) || raisedHere.has(w.rule.name)) continue;
      const id = idOf(record as Record<string, unknown>);
      fired.push({ rule: w.rule.name, priority: w.rule.priority, tags: w.rule.tags, eventId: id, covers: [id], raised: false });
    }
  }
  return fired;
}

export function noticeOrHigher(a: FiredAlert): boolean {
  return atLeast(a.priority, "Notice");
}

export function warningOrHigher(a: FiredAlert): boolean {
  return atLeast(a.priority, "Warning");
}
