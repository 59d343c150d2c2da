import type { EventContext } from "../engine";
import type { StageContext } from "./context";
import { eventKey, groupOf, secondsCeil, timeKey } from "./keys";
import type { SuppressSpec } from "./types";
import { updateDocument } from "./versioned";

/**
 * `suppress: {window, group_by}`: after an alert, further alerts of the rule for the same group
 * whose event time is within `window` of the alerting event (before or after it: records arrive
 * out of order) are counted into it instead of alerting. A suppression period is fixed at the
 * alerting event's time, not extended by what it suppresses, so steady activity alerts once per
 * window rather than never again.
 *
 * The group's periods are one document written with a version check (versioned.ts): of two tasks
 * that would both open a period, one writes it and alerts, the other re-reads and counts into it.
 * Each record is counted once: its key is written first with a conditional create.
 */

interface Period {
  /** Event time of the alert. */
  a: bigint;
  /** Key of the alerting event. */
  id: string;
  /** Alerts counted into this one, itself included. */
  n: number;
}

/** Periods kept per group. */
const MAX_PERIODS = 32;

export interface SuppressOutcome {
  alert: boolean;
  details?: Record<string, unknown>;
}

const distance = (a: bigint, b: bigint) => (a > b ? a - b : b - a);

export async function suppressStep(spec: SuppressSpec, scope: string, ev: EventContext, ctx: StageContext): Promise<SuppressOutcome> {
  const group = groupOf(spec.groupBy, ev);
  const part = { scope, group: group.hash };
  const t = ev.timeNs;
  const id = eventKey(ev);
  const W = spec.windowNs;
  const fresh = await ctx.store.putIfAbsent(part, { sk: `c#${timeKey(t)}#${id}`, expiresAt: secondsCeil(t + W + ctx.latenessNs) });
  if (!fresh) ctx.counters.duplicates++;

  const outcome = await updateDocument(ctx.store, part, "sp", (data) => {
    const periods = decode(data);
    let covering: Period | undefined;
    for (const p of periods) if (distance(p.a, t) < W && (!covering || distance(p.a, t) < distance(covering.a, t))) covering = p;
    if (covering) {
      if (!fresh) return { result: { opened: false, again: covering.id === id } };
      covering.n++;
      return { result: { opened: false, again: false }, write: encode(periods, t, W, ctx.latenessNs) };
    }
    periods.push({ a: t, id, n: 1 });
    return { result: { opened: true, again: false }, write: encode(periods, t, W, ctx.latenessNs) };
  });
  const details = { window: spec.window, group: group.values };
  if (outcome.opened) return { alert: true, details };
  if (outcome.again && ctx.repeatAlertsOnRedelivery) return { alert: true, details };
  if (fresh) ctx.counters.countedIntoAlerts++;
  return { alert: false };
}

function decode(data: string | undefined): Period[] {
  if (!data) return [];
  return (JSON.parse(data) as { a: string; id: string; n: number }[]).map((p) => ({ ...p, a: BigInt(p.a) }));
}

/** Drops periods no record within the lateness allowance can meet, keeps the newest few. */
function encode(periods: Period[], t: bigint, W: bigint, lateness: bigint): { data: string; expiresAt: number } {
  const kept = periods
    .filter((p) => p.a + W + lateness >= t)
    .sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : 0))
    .slice(-MAX_PERIODS);
  const newest = kept.reduce((m, p) => (p.a > m ? p.a : m), t);
  return { data: JSON.stringify(kept.map((p) => ({ ...p, a: String(p.a) }))), expiresAt: secondsCeil(newest + W + lateness) };
}
