import { isoUtc, type EventContext } from "../engine";
import type { StageContext } from "./context";
import { decodeEpisodes, encodeEpisodes, foldEpisodes, type Episode } from "./episodes";
import { eventKey, fieldText, groupOf, secondsCeil, timeKey } from "./keys";
import { thresholdSpans, windowSummary, type Point } from "./spans";
import type { ThresholdSpec } from "./types";
import { updateDocument } from "./versioned";
import { MAX_COUNT } from "./specReader";

/**
 * `threshold: {count, window, group_by, distinct}` over a sliding window of event time.
 *
 * Each match is stored once under its group, keyed by event time and event id: a conditional
 * create, so a record delivered twice (or by two tasks) is counted once. The match's neighbours
 * within one window on either side are then read back, and the stretches of time where the count
 * is reached (spans.ts) are folded into the group's alert episodes (episodes.ts); a stretch that
 * meets no known episode is a crossing and alerts.
 *
 * Why a crossing alerts exactly once when tasks share the store: the episodes document is written
 * with a version check, so of two tasks that both see a new stretch, one writes it and alerts,
 * the other fails its write, re-reads, finds the stretch known, and only counts into it. And why a
 * crossing is not missed when its matches are split across tasks: every task writes its match
 * before reading the neighbours, with consistent reads, so of any two concurrent matches at least
 * one task reads both (if each read missed the other's write, each read would precede the other's
 * write, which follows its own read: a cycle in time).
 *
 * Cost is bounded per match: one write, two reads of at most `count` items (four times `count` for
 * `distinct`, which must skip repeated values), and one document update when the count is reached.
 */

export interface ThresholdOutcome {
  /** The match is part of a window that reached the count (it feeds sequences that follow the rule). */
  accepted: boolean;
  /** When the count was reached, for those sequences. */
  reachedAt?: bigint;
  /** Set when this match crossed the threshold (or is a redelivery of the match that did). */
  crossing?: Record<string, unknown>;
}

export async function thresholdStep(spec: ThresholdSpec, scope: string, ev: EventContext, ctx: StageContext): Promise<ThresholdOutcome> {
  const group = groupOf(spec.groupBy, ev);
  const part = { scope, group: group.hash };
  const t = ev.timeNs;
  const id = eventKey(ev);
  const value = spec.distinct ? fieldText(spec.distinct, ev) : id;
  // A match without a value for the distinct field has nothing to count.
  if (value === null) return { accepted: false };
  const W = spec.windowNs;
  const sk = `e#${timeKey(t)}#${id}`;
  const fresh = await ctx.store.putIfAbsent(part, { sk, expiresAt: secondsCeil(t + W + ctx.latenessNs), data: "=" + value });
  if (!fresh) ctx.counters.duplicates++;

  // Times relative to this match, as numbers (see spans.ts).
  const points = await neighbours(spec, part, sk, t, ctx);
  if (points.length < spec.count) return { accepted: false };
  const Wn = Number(W);
  const spans = thresholdSpans(points, Wn, spec.count, 0, spec.distinct !== undefined).map((s) => ({ s: t + BigInt(s.s), f: t + BigInt(s.f) }));
  if (spans.length === 0) return { accepted: false };
  const summarize = (s: { s: bigint }) => {
    const w = windowSummary(points, Wn, Number(s.s - t));
    return { count: w.count, first: t + BigInt(w.first), last: t + BigInt(w.last), sampleIds: w.sampleIds };
  };

  const keepAfter = t - W - ctx.latenessNs;
  const change = await updateDocument(ctx.store, part, "ep", (data) => {
    const c = foldEpisodes(decodeEpisodes(data), spans, { id, t, fresh }, summarize, keepAfter);
    if (!c.changed) return { result: c };
    const horizon = c.episodes.reduce((m, e) => (e.f > m ? e.f : m), t);
    return { result: c, write: { data: encodeEpisodes(c.episodes), expiresAt: secondsCeil(horizon + W + ctx.latenessNs) } };
  });
  const reachedAt = spans[0].s;
  const alerting: Episode | undefined = change.opened[0] ?? (ctx.repeatAlertsOnRedelivery ? change.again : undefined);
  if (!alerting) {
    if (fresh) ctx.counters.countedIntoAlerts++;
    return { accepted: true, reachedAt };
  }
  const crossing: Record<string, unknown> = {
    count: alerting.n,
    threshold: spec.count,
    window: spec.window,
    ...(spec.distinct ? { distinct: spec.distinct.text } : {}),
    first: isoUtc(alerting.first),
    last: isoUtc(alerting.last),
    sampleEventIds: alerting.ids,
    group: group.values,
  };
  return { accepted: true, reachedAt, crossing };
}

/**
 * The group's matches around this one, in time order, with times in nanoseconds from this one's:
 * up to what a window of `count` can hold on each side (for `distinct`, more, since values repeat).
 */
async function neighbours(spec: ThresholdSpec, part: { scope: string; group: string }, sk: string, t: bigint, ctx: StageContext): Promise<Point[]> {
  const budget = spec.distinct ? Math.min(4 * spec.count, 4 * MAX_COUNT) : spec.count - 1;
  const W = spec.windowNs;
  const items =
    budget === 0
      ? [{ sk }]
      : [
          ...(await ctx.store.range(part, `e#${timeKey(t - W + 1n)}#`, sk, { descending: true, limit: budget + 1 })).reverse(),
          ...(await ctx.store.range(part, sk, `e#${timeKey(t + W - 1n)}#~`, { limit: budget + 1 })).filter((x) => x.sk !== sk),
        ];
  const base = timeKey(t);
  const baseSeconds = Number(base.slice(0, 11));
  const baseNanos = Number(base.slice(11));
  return items.map((item: { sk: string; data?: string }) => {
    // sk = e#<20-digit time>#<event key>: seconds and nanoseconds apart, each exact as a number.
    const offset = (Number(item.sk.slice(2, 13)) - baseSeconds) * 1e9 + (Number(item.sk.slice(13, 22)) - baseNanos);
    const id = item.sk.slice(23);
    return { t: offset, id, v: item.data?.startsWith("=") ? item.data.slice(1) : id };
  });
}
