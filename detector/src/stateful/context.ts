/** What every stateful stage shares: the lateness allowance, the redelivery policy, and counters. */
export interface StageContext {
  /** How late (in event time, microseconds) a record may arrive and still be counted with its window. */
  latenessUs: number;
  /**
   * When a record is delivered again and it was the one that alerted, alert again (with the same
   * alert id). The connector wants this: a task that stopped after deciding an alert but before
   * delivering it gets the record again and must not lose the alert. A scan does not: a record
   * that appears twice in the input alerts once.
   */
  repeatAlertsOnRedelivery: boolean;
  counters: StatefulCounters;
}

/** Counters of what stateful rules did, for logs and metrics. */
export interface StatefulCounters {
  /** Matches of stateful rules handed to the store. */
  matches: number;
  /** Records seen again (a redelivery, an overlapping file) and counted once. */
  duplicates: number;
  /** Threshold crossings, sequence completions and first matches that alerted. */
  alerts: number;
  /** Matches counted into an earlier alert instead of alerting (threshold episodes, suppression). */
  countedIntoAlerts: number;
  /** Matches of a sequence's second rule seen before any first-rule match (kept in case one arrives late). */
  pendingFollowers: number;
}

export function newCounters(): StatefulCounters {
  return { matches: 0, duplicates: 0, alerts: 0, countedIntoAlerts: 0, pendingFollowers: 0 };
}

export function addCounters(into: StatefulCounters, more: Partial<StatefulCounters>): void {
  for (const k of Object.keys(more) as (keyof StatefulCounters)[]) into[k] += more[k] ?? 0;
}
