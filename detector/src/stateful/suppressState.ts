/**
 * The state of one suppression group and how an alert changes it: `suppress: {window, group_by}`.
 * After an alert, further alerts of the rule for the same group whose event time is within
 * `window` of the alerting event (before or after it: records arrive out of order) are counted
 * into it instead of alerting. A suppression period is fixed at the alerting event's time, not
 * extended by what it suppresses, so steady activity alerts once per window rather than never.
 */

interface Period {
  /** Event time of the alert. */
  a: number;
  /** Key of the alerting event. */
  id: string;
  /** Alerts counted into this one, itself included. */
  n: number;
}

export interface SuppressDoc {
  k: "s";
  /** Periods by time of their alert. */
  p: Period[];
  /** Keys of the latest events folded in, to count a redelivered one once. */
  r: string[];
  m: number;
}

/** Periods kept per group. */
const MAX_PERIODS = 32;
/** Recent event keys kept per group. */
const MAX_RECENT = 64;

export interface SuppressResult {
  /** Open a period and alert. */
  readonly opened: boolean;
  /** The record of the period's alert, delivered again. */
  readonly again: boolean;
  readonly duplicate: boolean;
  readonly changed: boolean;
}

// The four outcomes, made once: a busy group folds a match per record.
const AGAIN: SuppressResult = Object.freeze({ opened: false, again: true, duplicate: true, changed: false });
const DUPLICATE: SuppressResult = Object.freeze({ opened: false, again: false, duplicate: true, changed: false });
const OPENED: SuppressResult = Object.freeze({ opened: true, again: false, duplicate: false, changed: true });
const COUNTED: SuppressResult = Object.freeze({ opened: false, again: false, duplicate: false, changed: true });

export function newSuppressDoc(): SuppressDoc {
  return { k: "s", p: [], r: [], m: 0 };
}

/**
 * The recent keys of a document as a set, kept beside its list while the list is the one folded
 * here: a busy group is asked about every match, and a list of 64 keys is slow to search.
 */
const recentSets = new WeakMap<string[], Set<string>>();

function recentOf(doc: SuppressDoc): Set<string> {
  let set = recentSets.get(doc.r);
  if (!set) recentSets.set(doc.r, (set = new Set(doc.r)));
  return set;
}

export function foldSuppress(doc: SuppressDoc, t: number, id: string, windowUs: number, latenessUs: number): SuppressResult {
  const recent = recentOf(doc);
  const seen = recent.has(id);
  let covering: Period | undefined;
  for (const p of doc.p) if (Math.abs(p.a - t) < windowUs && (!covering || Math.abs(p.a - t) < Math.abs(covering.a - t))) covering = p;
  if (covering && covering.id === id) return AGAIN;
  if (seen) return DUPLICATE;
  doc.r.push(id);
  recent.add(id);
  if (doc.r.length > MAX_RECENT) recent.delete(doc.r.shift()!);
  if (t > doc.m) doc.m = t;
  let opened = false;
  if (covering) covering.n++;
  else {
    let i = doc.p.length;
    while (i > 0 && doc.p[i - 1].a > t) i--;
    doc.p.splice(i, 0, { a: t, id, n: 1 });
    opened = true;
  }
  // Periods no record within the allowance can fall into.
  const from = doc.m - latenessUs - windowUs;
  let drop = 0;
  while (drop < doc.p.length && doc.p[drop].a + windowUs < from) drop++;
  drop = Math.max(drop, doc.p.length - MAX_PERIODS);
  if (drop > 0) doc.p.splice(0, drop);
  return opened ? OPENED : COUNTED;
}
