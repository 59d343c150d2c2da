import type { Operand } from "../engine";

/** The stateful keys of one rule, as read and checked at load time. */

/** A field a stateful key names (`s3.bucket`, `json.value[/userIdentity/arn]`, `tolower(ct.user)`). */
export interface FieldRef {
  /** As written, which is also its name in alert details. */
  text: string;
  operand: Operand;
}

export interface ThresholdSpec {
  count: number;
  window: string;
  windowNs: bigint;
  groupBy: FieldRef[];
  /** Count distinct values of this field instead of matches. */
  distinct?: FieldRef;
}

export interface SuppressSpec {
  window: string;
  windowNs: bigint;
  groupBy: FieldRef[];
}

export interface SequenceSpec {
  /** Rule names: a match of any of them opens the sequence. */
  after: string[];
  within: string;
  withinNs: bigint;
  by: FieldRef[];
}

export interface StatefulSpec {
  threshold?: ThresholdSpec;
  suppress?: SuppressSpec;
  sequence?: SequenceSpec;
}

/** The rule keys beyond Falco's that this module reads. */
export const STATEFUL_KEYS: ReadonlySet<string> = new Set(["threshold", "suppress", "sequence"]);
