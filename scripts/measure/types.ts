/** A CloudTrail record as parsed JSON. */
export type CloudTrailRecord = Record<string, unknown>;

/** An alert, reduced to what the measurements need. */
export interface Fired {
  rule: string;
  tags: readonly string[];
}

/**
 * Evaluates records in order with a freshly loaded ruleset (every matching rule alerts) and
 * returns, for each record, the alerts it raised.
 */
export type EvaluateAll = (records: readonly CloudTrailRecord[]) => Fired[][];
