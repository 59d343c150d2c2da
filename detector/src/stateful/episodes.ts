/** A half-open interval of event time in nanoseconds, [s, f). */
export interface Interval {
  s: bigint;
  f: bigint;
}

/** What an alert says about the window that reached the count. */
export interface Summary {
  count: number;
  first: bigint;
  last: bigint;
  sampleIds: string[];
}

/** Do two intervals overlap or touch? (Touching stretches are one stretch where the count holds.) */
function meets(a: Interval, b: Interval): boolean {
  return a.s <= b.f && b.s <= a.f;
}

/**
 * Alert episodes of a threshold: the stretches of event time where the count is reached. Each
 * stretch alerts once, when it first appears; matches that extend or join a known stretch are
 * counted into its alert. Stretches only grow and merge as records arrive (see spans.ts), so a
 * known stretch never has to be taken back.
 */

export interface Episode extends Interval {
  /** Key of the event whose arrival opened the episode: its alert is that event's. */
  id: string;
  /** What the alert said about the window that reached the count. */
  n: number;
  first: bigint;
  last: bigint;
  ids: string[];
  /** Matches counted into the episode after its alert. */
  more: number;
  /**
   * Keys of the events whose arrival opened an episode merged into this one (`id` first): each of
   * them alerted, and alerts again when delivered again (its first delivery may have failed).
   */
  openers: string[];
}

/** Openers remembered per episode. */
const MAX_OPENERS = 16;

/** Episodes kept per group; older ones go first. */
export const MAX_EPISODES = 32;

export interface EpisodeChange {
  episodes: Episode[];
  /** Episodes this event opened: each is a crossing to alert. */
  opened: Episode[];
  /** The known episode this event had opened, when the event is delivered again. */
  again?: Episode;
  /** Whether `episodes` differs from what was stored. */
  changed: boolean;
}

export interface Arrival {
  id: string;
  t: bigint;
  /** First delivery of the record (false: a duplicate, counted already). */
  fresh: boolean;
}

/**
 * Folds the spans an event brought into the known episodes. Episodes ending before `keepAfter`
 * can no longer be met by a record within the lateness allowance and are dropped.
 */
export function foldEpisodes(
  known: readonly Episode[],
  spans: readonly Interval[],
  arrival: Arrival,
  summarize: (s: Interval) => Summary,
  keepAfter: bigint,
): EpisodeChange {
  let list = known.map((e) => ({ ...e, ids: [...e.ids], openers: [...e.openers] }));
  const opened: Episode[] = [];
  let again: Episode | undefined;
  let changed = false;
  let counted = false;
  for (const span of spans) {
    const touching = list.filter((e) => meets(e, span));
    if (touching.length === 0) {
      const w = summarize(span);
      const e: Episode = { s: span.s, f: span.f, id: arrival.id, n: w.count, first: w.first, last: w.last, ids: w.sampleIds, more: 0, openers: [arrival.id] };
      list.push(e);
      opened.push(e);
      changed = true;
      continue;
    }
    const keep = touching.reduce((a, b) => (b.s < a.s ? b : a));
    const merged: Episode = { ...keep, ids: [...keep.ids], openers: [...keep.openers] };
    for (const e of touching) {
      if (e.s < merged.s) merged.s = e.s;
      if (e.f > merged.f) merged.f = e.f;
      if (e === keep) continue;
      merged.more += e.more + 1;
      for (const o of e.openers) if (merged.openers.length < MAX_OPENERS && !merged.openers.includes(o)) merged.openers.push(o);
    }
    if (span.s < merged.s) merged.s = span.s;
    if (span.f > merged.f) merged.f = span.f;
    if (touching.length > 1 || merged.s !== keep.s || merged.f !== keep.f) changed = true;
    if (!arrival.fresh) {
      const own = touching.find((e) => e.openers.includes(arrival.id));
      if (own) again = own;
    } else if (!counted) {
      merged.more++;
      if (arrival.t > merged.last) merged.last = arrival.t;
      counted = true;
      changed = true;
    }
    list = list.filter((e) => !touching.includes(e));
    list.push(merged);
  }
  const before = list.length;
  list = list.filter((e) => e.f >= keepAfter).sort((a, b) => (a.s < b.s ? -1 : a.s > b.s ? 1 : 0));
  if (list.length > MAX_EPISODES) list = list.slice(list.length - MAX_EPISODES);
  if (list.length !== before) changed = true;
  return again ? { episodes: list, opened, again, changed } : { episodes: list, opened, changed };
}

/** The stored form: JSON with times as decimal text (they pass 2^53). */
export function encodeEpisodes(list: readonly Episode[]): string {
  return JSON.stringify(
    list.map((e) => ({ s: String(e.s), f: String(e.f), id: e.id, n: e.n, first: String(e.first), last: String(e.last), ids: e.ids, more: e.more, o: e.openers })),
  );
}

export function decodeEpisodes(data: string | undefined): Episode[] {
  if (!data) return [];
  const raw = JSON.parse(data) as { s: string; f: string; id: string; n: number; first: string; last: string; ids: string[]; more: number; o?: string[] }[];
  return raw.map(({ o, ...e }) => ({ ...e, s: BigInt(e.s), f: BigInt(e.f), first: BigInt(e.first), last: BigInt(e.last), openers: o ?? [e.id] }));
}
