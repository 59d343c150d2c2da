import type { Span, WindowSummary } from "./spans";

/**
 * Alert episodes of a threshold: the stretches of event time where the count is reached. Each
 * stretch alerts once, when it first appears; matches that extend or join a known stretch are
 * counted into its alert. Stretches only grow and merge as records arrive (see spans.ts), so a
 * known stretch never has to be taken back.
 */

export interface Episode extends Span {
  /** Key of the event whose arrival opened the episode: its alert is that event's. */
  id: string;
  /** What the alert said about the window that reached the count. */
  n: number;
  first: number;
  last: number;
  ids: string[];
  /** Matches counted into the episode after its alert. */
  more: number;
  /**
   * Keys of the events whose arrival opened an episode merged into this one (`id` first): each of
   * them alerted, and alerts again when delivered again (its first delivery may have failed).
   */
  openers: string[];
}

/** Episodes kept per group; older ones go first. */
export const MAX_EPISODES = 32;
/** Openers remembered per episode. */
const MAX_OPENERS = 16;

/** Do two intervals overlap or touch? (Touching stretches are one stretch where the count holds.) */
function meets(a: Span, b: Span): boolean {
  return a.s <= b.f && b.s <= a.f;
}

/**
 * Folds the spans an arrival brought into the group's episodes (sorted by start, changed in
 * place); returns the episodes it opened, each a crossing to alert. A span that meets known
 * episodes merges with them, and the arrival is counted into the merged episode.
 */
export function foldEpisodes(episodes: Episode[], spans: readonly Span[], arrival: { id: string; t: number }, summarize: (s: Span) => WindowSummary): Episode[] {
  const opened: Episode[] = [];
  let counted = false;
  for (const span of spans) {
    let first = -1;
    let last = -1;
    for (let i = 0; i < episodes.length; i++) {
      if (!meets(episodes[i], span)) continue;
      if (first < 0) first = i;
      last = i;
    }
    if (first < 0) {
      const w = summarize(span);
      const e: Episode = { s: span.s, f: span.f, id: arrival.id, n: w.count, first: w.first, last: w.last, ids: w.sampleIds, more: 0, openers: [arrival.id] };
      insertSorted(episodes, e);
      opened.push(e);
      continue;
    }
    // Touching episodes are consecutive (they are disjoint and sorted): keep the earliest.
    const keep = episodes[first];
    for (let i = first + 1; i <= last; i++) {
      const e = episodes[i];
      if (e.f > keep.f) keep.f = e.f;
      keep.more += e.more + 1;
      for (const o of e.openers) if (keep.openers.length < MAX_OPENERS && !keep.openers.includes(o)) keep.openers.push(o);
    }
    if (last > first) episodes.splice(first + 1, last - first);
    if (span.s < keep.s) keep.s = span.s;
    if (span.f > keep.f) keep.f = span.f;
    if (!counted) {
      keep.more++;
      if (arrival.t > keep.last) keep.last = arrival.t;
      counted = true;
    }
  }
  return opened;
}

function insertSorted(episodes: Episode[], e: Episode): void {
  let i = episodes.length;
  while (i > 0 && episodes[i - 1].s > e.s) i--;
  episodes.splice(i, 0, e);
}

/** Drops episodes no arrival within the allowance can meet any more, and keeps the newest few. */
export function pruneEpisodes(episodes: Episode[], keepAfter: number): void {
  let drop = 0;
  while (drop < episodes.length && episodes[drop].f < keepAfter) drop++;
  drop = Math.max(drop, episodes.length - MAX_EPISODES);
  if (drop > 0) episodes.splice(0, drop);
}
