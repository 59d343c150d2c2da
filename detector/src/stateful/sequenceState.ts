/**
 * The state of one sequence group and how matches change it: `sequence: {after, within, by}`.
 * The rule alerts for a match (a follower) that follows, within `within` of event time and for
 * the same `by` values, a match of one of the `after` rules (a mark; for an `after` rule with a
 * threshold: the moment its count was reached).
 *
 * Both sides are kept in the group: marks, and followers still waiting for one (records arrive
 * out of order, so a mark may come after its follower). Whichever side arrives second completes
 * the pair: a follower looks back for a mark, a mark releases the followers waiting after it.
 * Completed pairs are remembered, so the record that completed one (either side) raises its alert
 * again when it is delivered again: its first delivery may have failed.
 *
 * A waiting follower's record (needed to alert later) is not part of the group's document: the
 * store keeps it beside it (`recs`), so the document stays small.
 */

export interface Mark {
  t: number;
  id: string;
  rule: string;
  /** Followers this mark released (kept, with their records, to release them again on a redelivery). */
  rel?: string[];
}

interface Waiting {
  t: number;
  id: string;
}

interface Pair {
  /** The follower. */
  t: number;
  id: string;
  mark: Mark;
  /** Released by the mark's arrival: the follower's record is kept while the pair is. */
  r?: 1;
}

export interface SequenceDoc {
  k: "q";
  /** Marks by time; of marks whose neighbours are within `within` of each other, the middle ones are dropped. */
  mk: Mark[];
  /** Followers waiting for a mark, by time. */
  w: Waiting[];
  /** Completed pairs, oldest first. */
  pr: Pair[];
  m: number;
  /** Records of waiting or released followers, by event key (kept by the store beside the document). */
  recs?: Record<string, string>;
}

/** Followers a single mark completes at most (the rest wait for a later mark). */
export const MAX_RELEASED = 100;
/** Waiting followers and completed pairs kept per group (the oldest go first). */
const MAX_WAITING = 1000;
const MAX_PAIRS = 1000;

export interface SequenceParams {
  withinUs: number;
  latenessUs: number;
  repeat: boolean;
}

export interface Completion {
  /** The follower's key; its record is the arrival itself, or `recs[id]` for a released one. */
  id: string;
  mark: Mark;
}

export interface FollowerResult {
  completion?: Completion;
  waiting?: boolean;
  duplicate?: boolean;
  /** Waiting followers dropped to stay within the cap. */
  dropped: number;
  changed: boolean;
}

/** Lookups by event key, built when a document is first used here and kept up to date. */
interface Index {
  pairs: Map<string, Pair>;
  waiting: Set<string>;
}
const indexes = new WeakMap<SequenceDoc, Index>();

function indexOf(doc: SequenceDoc): Index {
  let ix = indexes.get(doc);
  if (!ix) {
    ix = { pairs: new Map(doc.pr.map((p) => [p.id, p])), waiting: new Set(doc.w.map((w) => w.id)) };
    indexes.set(doc, ix);
  }
  return ix;
}

/** The size of a document's kept records (ids and texts), kept up to date as records come and go. */
const recordSizes = new WeakMap<SequenceDoc, { recs: Record<string, string>; count: number; chars: number }>();

function recordSizeChanged(doc: SequenceDoc, id: string, text: string, sign: 1 | -1): void {
  const known = recordSizes.get(doc);
  if (!known || known.recs !== doc.recs) return;
  known.count += sign;
  known.chars += sign * (id.length + text.length);
}

function removeRecord(doc: SequenceDoc, id: string): void {
  const text = doc.recs![id];
  if (text === undefined) return;
  delete doc.recs![id];
  recordSizeChanged(doc, id, text, -1);
}

/**
 * How many records the document keeps and their characters (ids and texts): counted once, then
 * followed as records are added and removed (a store that writes them elsewhere replaces `recs`).
 */
export function keptRecords(doc: SequenceDoc): { count: number; chars: number } {
  const recs = doc.recs;
  if (!recs) return { count: 0, chars: 0 };
  let known = recordSizes.get(doc);
  if (!known || known.recs !== recs) {
    let count = 0;
    let chars = 0;
    for (const id in recs) {
      count++;
      chars += id.length + recs[id].length;
    }
    known = { recs, count, chars };
    recordSizes.set(doc, known);
  }
  return { count: known.count, chars: known.chars };
}

export function newSequenceDoc(): SequenceDoc {
  return { k: "q", mk: [], w: [], pr: [], m: 0 };
}

/** A match of the sequence rule itself: completes a pair if a mark precedes it, else waits. */
export function foldFollower(doc: SequenceDoc, t: number, id: string, record: () => string, P: SequenceParams): FollowerResult {
  const ix = indexOf(doc);
  const pair = ix.pairs.get(id);
  if (pair) return { completion: P.repeat ? { id, mark: pair.mark } : undefined, duplicate: true, dropped: 0, changed: false };
  if (ix.waiting.has(id)) return { duplicate: true, dropped: 0, changed: false };
  if (t > doc.m) doc.m = t;
  // The latest mark at or before the follower, within `within`, other than the follower itself.
  let mark: Mark | undefined;
  for (let i = upperBound(doc.mk, t) - 1; i >= 0 && doc.mk[i].t >= t - P.withinUs; i--) {
    if (doc.mk[i].id !== id) {
      mark = doc.mk[i];
      break;
    }
  }
  let dropped = 0;
  if (mark) addPair(doc, ix, { t, id, mark: { t: mark.t, id: mark.id, rule: mark.rule } });
  else {
    const i = upperBound(doc.w, t);
    doc.w.splice(i, 0, { t, id });
    ix.waiting.add(id);
    const text = record();
    (doc.recs ??= {})[id] = text;
    recordSizeChanged(doc, id, text, 1);
    if (doc.w.length > MAX_WAITING) dropped = dropWaiting(doc, ix, doc.w.length - MAX_WAITING);
  }
  prune(doc, ix, P);
  return mark ? { completion: { id, mark: { t: mark.t, id: mark.id, rule: mark.rule } }, dropped, changed: true } : { waiting: true, dropped, changed: true };
}

export interface MarkResult {
  /** Followers this mark completes (or completed, on a redelivery with `repeat`), in time order. */
  released: Completion[];
  duplicate: boolean;
  changed: boolean;
}

/** A match of an `after` rule: records the mark and releases the followers waiting after it. */
export function foldMark(doc: SequenceDoc, mark: Mark, P: SequenceParams): MarkResult {
  const ix = indexOf(doc);
  const released: Completion[] = [];
  const known = findMark(doc.mk, mark);
  if (known?.rel && P.repeat) for (const id of known.rel) released.push({ id, mark: { t: known.t, id: known.id, rule: known.rule } });
  const m = known ?? { t: mark.t, id: mark.id, rule: mark.rule };
  let changed = false;
  // The followers waiting at or after the mark, within `within`.
  const from = lowerBound(doc.w, m.t);
  let to = from;
  const kept: Waiting[] = [];
  for (; to < doc.w.length && doc.w[to].t <= m.t + P.withinUs; to++) {
    const f = doc.w[to];
    if (released.length >= MAX_RELEASED || f.id === m.id) {
      kept.push(f);
      continue;
    }
    released.push({ id: f.id, mark: { t: m.t, id: m.id, rule: m.rule } });
    (m.rel ??= []).push(f.id);
    ix.waiting.delete(f.id);
    addPair(doc, ix, { t: f.t, id: f.id, mark: { t: m.t, id: m.id, rule: m.rule }, r: 1 });
  }
  if (to > from) {
    doc.w.splice(from, to - from, ...kept);
    changed = kept.length !== to - from;
  }
  if (!known) {
    if (m.t > doc.m) doc.m = m.t;
    insertMark(doc.mk, m, P.withinUs);
    changed = true;
  }
  if (changed) prune(doc, ix, P);
  return { released, duplicate: known !== undefined, changed };
}

function findMark(marks: readonly Mark[], mark: Mark): Mark | undefined {
  for (let i = lowerBound(marks, mark.t); i < marks.length && marks[i].t === mark.t; i++) {
    if (marks[i].id === mark.id && marks[i].rule === mark.rule) return marks[i];
  }
  return undefined;
}

/**
 * Keeps marks in time order. A follower needs some mark within `within` before it; of three
 * marks whose outer two are at most `within` apart, the middle one adds nothing (unless it
 * released followers, which it may have to release again), so a busy rule keeps about two marks
 * per `within`.
 */
function insertMark(marks: Mark[], mark: Mark, within: number): void {
  const i = upperBound(marks, mark.t);
  marks.splice(i, 0, mark);
  for (let j = Math.min(i + 1, marks.length - 2); j >= Math.max(1, i - 1); j--) {
    if (!marks[j].rel && marks[j + 1].t - marks[j - 1].t <= within) marks.splice(j, 1);
  }
}

function addPair(doc: SequenceDoc, ix: Index, pair: Pair): void {
  doc.pr.push(pair);
  ix.pairs.set(pair.id, pair);
  if (doc.pr.length > MAX_PAIRS) dropPairs(doc, ix, doc.pr.length - MAX_PAIRS);
}

function dropPairs(doc: SequenceDoc, ix: Index, n: number): void {
  for (const p of doc.pr.splice(0, n)) {
    ix.pairs.delete(p.id);
    if (p.r && doc.recs) removeRecord(doc, p.id);
  }
}

function dropWaiting(doc: SequenceDoc, ix: Index, n: number): number {
  for (const f of doc.w.splice(0, n)) {
    ix.waiting.delete(f.id);
    if (doc.recs) removeRecord(doc, f.id);
  }
  return n;
}

/** What no record within the lateness allowance can need. */
function prune(doc: SequenceDoc, ix: Index, P: SequenceParams): void {
  const from = doc.m - P.latenessUs;
  // A mark arriving now is at or after `from`, and releases followers at or after it.
  let w = 0;
  while (w < doc.w.length && doc.w[w].t < from) w++;
  if (w > 0) dropWaiting(doc, ix, w);
  // A follower arriving now is at or after `from`, and looks back `within` for a mark; a mark
  // that released followers is kept while they may be delivered again.
  let m = 0;
  while (m < doc.mk.length && doc.mk[m].t + P.withinUs < from && !(doc.mk[m].rel && doc.mk[m].t + 2 * P.withinUs >= from)) m++;
  if (m > 0) doc.mk.splice(0, m);
  // Pairs are kept while either record may still be delivered again.
  let p = 0;
  while (p < doc.pr.length && Math.max(doc.pr[p].t, doc.pr[p].mark.t) + P.withinUs < from) p++;
  if (p > 0) dropPairs(doc, ix, p);
}

function lowerBound(list: readonly { t: number }[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(list: readonly { t: number }[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
