import { PRIORITIES, type Priority } from "../engine";

/** Alerts over time, in bins of a round width, counted by priority. */
export interface Timeline {
  /** Bin width in milliseconds. */
  binMs: number;
  /** Start of the first bin, milliseconds since the epoch (a multiple of binMs). */
  startMs: number;
  /** counts[bin][severity]: alerts of that priority (PRIORITIES order) in that bin. */
  counts: number[][];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WIDTHS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY, 30 * DAY];

/** At most this many bars: enough to see a burst, few enough to read. */
export const MAX_BINS = 72;

export function timeline(times: readonly number[], severities: readonly number[]): Timeline | undefined {
  if (times.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const t of times) {
    if (t < min) min = t;
    if (t > max) max = t;
  }
  let binMs = WIDTHS.find((w) => Math.floor(max / w) - Math.floor(min / w) + 1 <= MAX_BINS);
  // Logs spanning more than MAX_BINS months: widen by whole months' worth until the bars fit.
  if (binMs === undefined) binMs = Math.ceil((max - min + 1) / MAX_BINS / (30 * DAY)) * 30 * DAY;
  const startMs = Math.floor(min / binMs) * binMs;
  const bins = Math.floor((max - startMs) / binMs) + 1;
  const counts = Array.from({ length: bins }, () => new Array<number>(PRIORITIES.length).fill(0));
  for (let i = 0; i < times.length; i++) counts[Math.floor((times[i] - startMs) / binMs)][severities[i]]++;
  return { binMs, startMs, counts };
}

export function priorityOf(severityIndex: number): Priority {
  return PRIORITIES[severityIndex];
}
