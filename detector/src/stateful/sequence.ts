import { isoUtc, jsonText, parseJsonExact, type EventContext } from "../engine";
import type { StageContext } from "./context";
import { eventKey, groupOf, secondsCeil, timeKey } from "./keys";
import type { SequenceSpec } from "./types";

/**
 * `sequence: {after, within, by}`: the rule alerts for a match that follows, within `within` of
 * event time and for the same `by` values, a match of one of the `after` rules (for an `after`
 * rule with a threshold: the moment its count was reached).
 *
 * Both sides are stored under the sequence rule's group: first-rule matches as marks, its own
 * matches as followers (with the record, to build the alert later). A follower looks back for a
 * mark; a mark looks ahead for followers that arrived before it (records come out of order). So
 * whichever side arrives second completes the pair, and if both arrive at once on two tasks, at
 * least one of them sees the other (each writes before it reads, with consistent reads). To alert
 * once, the completing side first claims the follower with a conditional create of
 * `<follower>#a`: only the task that created the claim alerts.
 */

/** Followers a single mark completes at most (the rest wait for a later mark). */
const MAX_RELEASED = 100;
/** Records larger than this are stored as their identifying fields only. */
const MAX_STORED_RECORD = 200_000;

export interface SequenceStep {
  details: Record<string, unknown>;
}

export interface Released {
  record: Record<string, unknown>;
  details: Record<string, unknown>;
}

interface Mark {
  rule: string;
  id: string;
  t: string;
}

function detailsOf(mark: Mark, spec: SequenceSpec, group: Record<string, string | null>): Record<string, unknown> {
  return { after: { rule: mark.rule, eventId: mark.id, time: isoUtc(BigInt(mark.t)) }, within: spec.within, group };
}

/** A match of the sequence rule itself: alerts now if a mark precedes it, else waits for one. */
export async function sequenceFollower(spec: SequenceSpec, scope: string, ev: EventContext, ctx: StageContext): Promise<SequenceStep | undefined> {
  const group = groupOf(spec.by, ev);
  const part = { scope, group: group.hash };
  const t = ev.timeNs;
  const id = eventKey(ev);
  const expiresAt = secondsCeil(t + spec.withinNs + ctx.latenessNs);
  const sk = `f#${timeKey(t)}#${id}`;
  const fresh = await ctx.store.putIfAbsent(part, { sk, expiresAt, data: storedRecord(ev.exact) });
  if (!fresh) ctx.counters.duplicates++;

  const marks = await ctx.store.range(part, `m#${timeKey(t - spec.withinNs)}#`, `m#${timeKey(t)}#~`, { descending: true, limit: 2 });
  const mark = marks.map((m) => JSON.parse(m.data as string) as Mark).find((m) => m.id !== id);
  if (!mark) {
    if (fresh) ctx.counters.pendingFollowers++;
    return undefined;
  }
  const claimed = await ctx.store.putIfAbsent(part, { sk: `${sk}#a`, expiresAt, data: JSON.stringify(mark) });
  if (claimed) return { details: detailsOf(mark, spec, group.values) };
  // Not claimed: another task completed this pair (and alerted), or this is a redelivery. A
  // redelivery alerts again, with the mark that completed the pair: its first delivery may have failed.
  if (fresh || !ctx.repeatAlertsOnRedelivery) return undefined;
  const claim = await ctx.store.get(part, `${sk}#a`);
  return { details: detailsOf(claim?.data ? (JSON.parse(claim.data) as Mark) : mark, spec, group.values) };
}

/**
 * A match of an `after` rule (`at`: its time, or when its threshold was reached): records the
 * mark and hands back the followers it completes.
 */
export async function sequenceMark(spec: SequenceSpec, scope: string, afterRule: string, ev: EventContext, at: bigint, ctx: StageContext): Promise<Released[]> {
  const group = groupOf(spec.by, ev);
  const part = { scope, group: group.hash };
  const id = eventKey(ev);
  const mark: Mark = { rule: afterRule, id, t: String(at) };
  const expiresAt = secondsCeil(at + spec.withinNs + ctx.latenessNs);
  await ctx.store.putIfAbsent(part, { sk: `m#${timeKey(at)}#${id}`, expiresAt, data: JSON.stringify(mark) });

  const items = await ctx.store.range(part, `f#${timeKey(at)}#`, `f#${timeKey(at + spec.withinNs)}#~`, { limit: 3 * MAX_RELEASED });
  // Followers already claimed, and by which mark: those this mark completed are released again on
  // a redelivery (the alert may never have been delivered); the others belong to other marks.
  const claimedBy = new Map(items.filter((x) => x.sk.endsWith("#a")).map((x) => [x.sk.slice(0, -2), x.data ? (JSON.parse(x.data) as Mark).id : undefined]));
  const released: Released[] = [];
  for (const f of items) {
    if (released.length >= MAX_RELEASED) break;
    if (f.sk.endsWith("#a") || f.sk.endsWith(`#${id}`) || !f.data) continue;
    const owner = claimedBy.get(f.sk);
    const won = owner === undefined ? await ctx.store.putIfAbsent(part, { sk: `${f.sk}#a`, expiresAt: f.expiresAt, data: JSON.stringify(mark) }) : owner === id && ctx.repeatAlertsOnRedelivery;
    if (won) released.push({ record: parseJsonExact(f.data) as Record<string, unknown>, details: detailsOf(mark, spec, group.values) });
  }
  return released;
}

/** The record as JSON, or its identifying fields when it is too large for one state item. */
function storedRecord(record: Record<string, unknown>): string {
  const text = jsonText(record);
  if (text.length <= MAX_STORED_RECORD) return text;
  const keep = ["eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent", "errorCode", "eventID", "eventType", "recipientAccountId", "eventCategory"];
  const small: Record<string, unknown> = {};
  for (const k of keep) if (k in record) small[k] = record[k];
  const rp = record.requestParameters as Record<string, unknown> | null | undefined;
  if (rp && typeof rp === "object") small.requestParameters = { bucketName: rp.bucketName, key: rp.key };
  return jsonText(small);
}
