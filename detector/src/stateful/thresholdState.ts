import { foldEpisodes, pruneEpisodes, type Episode } from "./episodes";
import { thresholdSpans, windowSummary, type Point } from "./spans";

/**
 * The state of one threshold group and how a match changes it: `threshold: {count, window,
 * group_by, distinct}` over a sliding window of event time (spans.ts says what is counted).
 *
 * The group keeps its alert episodes (episodes.ts) and only the matches that can still change
 * them: a match whose whole reach, [t, t + window), lies inside a known episode can never make the
 * count reached anywhere it is not already, so it is dropped; so are matches older than the
 * lateness allowance, and, for `distinct`, a match of a value whose other matches around it
 * already cover its reach. A busy group that stays above its count thus keeps about `count`
 * matches, and a match inside an episode costs a look at the episodes and nothing more.
 */

export interface ThresholdDoc {
  k: "t";
  /** Matches that can still change the episodes, sorted by time (then event key). */
  p: Point[];
  e: Episode[];
  /** Latest event time folded in. */
  m: number;
  /** For `distinct`: matches added since covered repeats were last dropped (absent: none). */
  a?: number;
}

export interface ThresholdParams {
  count: number;
  windowUs: number;
  distinct: boolean;
  latenessUs: number;
}

export interface ThresholdArrival {
  t: number;
  id: string;
  /** The counted value: the distinct field's, or the event key. */
  v: string;
}

export interface ThresholdResult {
  /** The match is part of a window that reached the count (it feeds sequences that follow the rule). */
  accepted: boolean;
  /** When the count was reached, for those sequences. */
  reachedAt?: number;
  /** Set when this match crossed the threshold: the window that reached the count. */
  crossing?: Episode;
  /** The match is the record of an earlier crossing, delivered again. */
  again?: boolean;
  duplicate?: boolean;
  /** Counted into an episode that had already alerted. */
  countedIn?: boolean;
  /** The state changed (needs writing). */
  changed: boolean;
}

export function newThresholdDoc(): ThresholdDoc {
  return { k: "t", p: [], e: [], m: 0 };
}

export function foldThreshold(doc: ThresholdDoc, a: ThresholdArrival, P: ThresholdParams): ThresholdResult {
  const W = P.windowUs;
  for (const e of doc.e) {
    if (e.openers.includes(a.id)) return { accepted: true, reachedAt: Math.max(e.s, a.t), crossing: e, again: true, duplicate: true, changed: false };
  }
  const at = lowerBound(doc.p, a.t);
  for (let i = at; i < doc.p.length && doc.p[i].t === a.t; i++) {
    if (doc.p[i].id === a.id) {
      const e = doc.e.find((x) => x.s <= a.t && a.t < x.f);
      return { accepted: e !== undefined, reachedAt: e ? a.t : undefined, duplicate: true, changed: false };
    }
  }
  // Inside an episode's reach: nothing to compute, nothing to keep.
  for (const e of doc.e) {
    if (e.s <= a.t && a.t + W <= e.f) {
      e.more++;
      if (a.t > e.last) e.last = a.t;
      if (a.t > doc.m) doc.m = a.t;
      return { accepted: true, reachedAt: a.t, countedIn: true, changed: true };
    }
  }

  const latest = doc.m;
  let last = doc.e[doc.e.length - 1];
  // The frontier path decides with a lagging end when it can; anything else needs the exact one.
  if (lagging.has(doc)) {
    const frontier = a.t >= latest || (last && last.s <= a.t && last.f >= latest);
    if (!frontier || (a.t >= latest && last && last.f < a.t)) settle(doc, P);
  }
  const point: Point = { t: a.t, v: a.v, id: a.id };
  let i = lowerBound(doc.p, a.t);
  while (i < doc.p.length && doc.p[i].t === a.t && doc.p[i].id < a.id) i++;
  doc.p.splice(i, 0, point);
  if (P.distinct) addedSinceCompaction.get(doc)?.add(a.v);
  if (a.t > doc.m) doc.m = a.t;

  last = doc.e[doc.e.length - 1];
  const result = a.t >= latest || (last && last.s <= a.t && last.f >= latest) ? foldAtFrontier(doc, a, P, latest) : foldAnywhere(doc, a, P);
  prune(doc, P);
  if (P.distinct) compactWhenDue(doc, P);
  return result;
}

/**
 * For `distinct`, covered repeats are dropped once enough matches were added (a count kept in the
 * document): at the same matches whatever the batches and wherever the document was last saved,
 * so the windows alerts describe, their first match and sample ids, do not depend on how records
 * were grouped. Half the kept matches between passes keeps the cost per match constant.
 */
function compactWhenDue(doc: ThresholdDoc, P: ThresholdParams): void {
  doc.a = (doc.a ?? 0) + 1;
  if (doc.a >= Math.max(COMPACT_AFTER, doc.p.length >> 1)) compactThreshold(doc, P);
}

const COMPACT_AFTER = 32;

/**
 * Documents whose last episode's end lags behind (a lower bound): an arrival that joins the open
 * episode at the frontier only pushes its end further, which matters to no decision until an
 * arrival falls past the lagging end, or lands elsewhere, or the document is saved. Working the
 * end out then, once, rather than at every arrival, is what keeps a busy group cheap.
 */
const lagging = new WeakSet<ThresholdDoc>();

/** Makes the document exact before it is saved: the open episode's end, and the matches it covers. */
export function settleThreshold(doc: ThresholdDoc, P: ThresholdParams): void {
  settle(doc, P);
}

/** Makes the document exact and small again: settled, and for `distinct` without covered repeats. */
export function compactThreshold(doc: ThresholdDoc, P: ThresholdParams): void {
  settle(doc, P);
  if (!P.distinct) return;
  const added = addedSinceCompaction.get(doc);
  if (added === undefined || added.size > 0) dropCoveredRepeats(doc.p, P.windowUs, added);
  if (added === undefined) addedSinceCompaction.set(doc, new Set());
  else added.clear();
  doc.a = 0;
}

/**
 * For `distinct`, the values of the matches added to a document since it was last compacted (none
 * known: a document from elsewhere, compacted whole, which drops the same matches). Dropping
 * covered repeats works value by value, and what a pass kept stays as it is when matches are
 * removed (the outer matches of any three of a value only get further apart), so only the values
 * added since can drop anything.
 */
const addedSinceCompaction = new WeakMap<ThresholdDoc, Set<string>>();

function settle(doc: ThresholdDoc, P: ThresholdParams): void {
  if (!lagging.delete(doc)) return;
  const last = doc.e[doc.e.length - 1];
  const end = reachEnd(doc.p, P);
  if (end > last.f) last.f = end;
  dropCoveredBy(doc, last, P.windowUs);
}

/**
 * An arrival at or after every other match of the group, or inside the episode still open at the
 * latest one: past the latest match the count only falls (matches leave the window), so where it
 * is reached after this arrival is one stretch, [t, f'), with f' read off the matches directly:
 * when the count-th latest match (or value) leaves the window.
 */
function foldAtFrontier(doc: ThresholdDoc, a: ThresholdArrival, P: ThresholdParams, latest: number): ThresholdResult {
  const W = P.windowUs;
  const last = doc.e[doc.e.length - 1];
  // In order, the arrival joins the last episode if that one reaches it; out of order, it is inside it.
  if (last !== undefined && (a.t >= latest ? last.f >= a.t : true)) {
    last.more++;
    if (a.t > last.last) last.last = a.t;
    lagging.add(doc);
    return { accepted: true, reachedAt: a.t, countedIn: true, changed: true };
  }
  const end = reachEnd(doc.p, P);
  if (end <= a.t) return { accepted: false, changed: true };
  const w = windowSummary(doc.p, W, a.t);
  const e: Episode = { s: a.t, f: end, id: a.id, n: w.count, first: w.first, last: w.last, ids: w.sampleIds, more: 0, openers: [a.id] };
  doc.e.push(e);
  dropCoveredBy(doc, e, W);
  return { accepted: true, reachedAt: a.t, crossing: e, changed: true };
}

/**
 * Values met by the pass under way, by the pass's number: a table kept from pass to pass (and
 * emptied when large) costs no allocation per pass, where a set cleared each time grows again.
 */
const valuePass = new Map<string, number>();
let pass = 0;

function newPass(): number {
  if (valuePass.size > 4096) {
    valuePass.clear();
    slotOf.clear();
  }
  return ++pass;
}

/**
 * When the count falls below the threshold if no match comes after the latest: the count-th latest
 * match leaves the window (for `distinct`, the latest match of the count-th latest value); -Infinity
 * when the group holds fewer.
 */
function reachEnd(points: readonly Point[], P: ThresholdParams): number {
  if (!P.distinct) return points.length >= P.count ? points[points.length - P.count].t + P.windowUs : -Infinity;
  // Fewer matches left than values still needed: the count cannot be reached (most quiet groups).
  if (points.length < P.count) return -Infinity;
  const now = newPass();
  let distinct = 0;
  for (let i = points.length - 1; i >= 0; i--) {
    if (distinct + i + 1 < P.count) return -Infinity;
    const v = points[i].v;
    if (valuePass.get(v) === now) continue;
    valuePass.set(v, now);
    if (++distinct === P.count) return points[i].t + P.windowUs;
  }
  return -Infinity;
}

/** Anywhere else (a late match between episodes): the spans of its reach, from its neighbours. */
function foldAnywhere(doc: ThresholdDoc, a: ThresholdArrival, P: ThresholdParams): ThresholdResult {
  const W = P.windowUs;
  // The matches that count in a window ending within [t, t + W).
  const lo = lowerBound(doc.p, a.t - W + 1);
  const hi = lowerBound(doc.p, a.t + W);
  const near = doc.p.slice(lo, hi);
  const spans = thresholdSpans(near, W, P.count, a.t, P.distinct);
  if (spans.length === 0) return { accepted: false, changed: true };
  const opened = foldEpisodes(doc.e, spans, a, (s) => windowSummary(near, W, s.s));
  dropCovered(doc, W);
  return opened.length ? { accepted: true, reachedAt: spans[0].s, crossing: opened[0], changed: true } : { accepted: true, reachedAt: spans[0].s, countedIn: true, changed: true };
}

/** Drops the matches whose reach lies inside `e`. */
function dropCoveredBy(doc: ThresholdDoc, e: Episode, W: number): void {
  const from = lowerBound(doc.p, e.s);
  let to = from;
  while (to < doc.p.length && doc.p[to].t + W <= e.f) to++;
  if (to > from) doc.p.splice(from, to - from);
}

/** Whether an arrival at `t` falls where the count is reached (for followers of a redelivery). */
export function episodeAt(doc: ThresholdDoc, t: number): Episode | undefined {
  return doc.e.find((e) => e.s <= t && t < e.f);
}

/** Drops matches whose reach lies inside an episode: they can change nothing any more. */
function dropCovered(doc: ThresholdDoc, W: number): void {
  const { e } = doc;
  let j = 0;
  doc.p = doc.p.filter((p) => {
    while (j < e.length && e[j].f < p.t + W) j++;
    // e[j] is the first episode reaching past p's reach; earlier ones end too soon.
    return !(j < e.length && e[j].s <= p.t);
  });
}

/** Matches and episodes no record within the lateness allowance can need. */
function prune(doc: ThresholdDoc, P: ThresholdParams): void {
  // A record at t >= m - lateness reads matches after t - W and meets episodes ending after t.
  const from = doc.m - P.latenessUs - P.windowUs;
  let drop = 0;
  while (drop < doc.p.length && doc.p[drop].t <= from) drop++;
  if (drop > 0) doc.p.splice(0, drop);
  pruneEpisodes(doc.e, from);
}

/**
 * For `distinct`: drops the matches whose reach the other matches of their value already cover (a
 * value counts wherever one of its matches is within the window: of three matches of a value whose
 * outer two are at most W apart, the middle one adds nothing), so a value read over and over keeps
 * about two matches per window.
 */
function dropCoveredRepeats(points: Point[], W: number, only?: ReadonlySet<string>): void {
  // Per value, the last two kept matches (in lastOfValue, at the value's slot): the last, and the
  // one before it (-1 when none). Values not in `only`, when given, are left as they are.
  const now = newPass();
  let dropped = 0;
  lastOfValue.length = 0;
  for (let i = 0; i < points.length; i++) {
    const v = points[i].v;
    if (only !== undefined && !only.has(v)) continue;
    if (valuePass.get(v) !== now) {
      valuePass.set(v, now);
      slotOf.set(v, lastOfValue.length);
      lastOfValue.push(i, -1);
      continue;
    }
    const slot = slotOf.get(v) as number;
    const b = lastOfValue[slot];
    const a = lastOfValue[slot + 1];
    // b is the middle of (a, b, i): dropped when a and i are within W of each other.
    if (a >= 0 && points[i].t - points[a].t <= W) {
      dropMark[b] = now;
      dropped++;
    } else lastOfValue[slot + 1] = b;
    lastOfValue[slot] = i;
  }
  if (dropped) {
    let k = 0;
    for (let i = 0; i < points.length; i++) if (dropMark[i] !== now) points[k++] = points[i];
    points.length = k;
  }
}

/** Working tables of dropCoveredRepeats, kept between passes: per value its slot in lastOfValue (last, previous kept). */
const slotOf = new Map<string, number>();
const lastOfValue: number[] = [];
/** The pass that dropped point i. */
const dropMark: number[] = [];

/** Index of the first point at or after time t. */
function lowerBound(points: readonly Point[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid].t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
