/**
 * The engine's public vocabulary. The engine is pure: no AWS, no file or network I/O.
 * Callers hand it rules text and parsed CloudTrail records; it hands back alerts.
 */

/** Falco priorities, most severe first, in their printed form. */
export const PRIORITIES = [
  "Emergency",
  "Alert",
  "Critical",
  "Error",
  "Warning",
  "Notice",
  "Informational",
  "Debug",
] as const;
export type Priority = (typeof PRIORITIES)[number];

/** One rules file: its name (used in every message about it) and its YAML text. */
export interface RulesFile {
  name: string;
  content: string;
  /**
   * A deployment context file (lists describing the deployment, as the s3guard Pulumi program
   * writes them): loaded after every rules file whatever the order given, and its list appends
   * define lists that no rules file does.
   */
  context?: boolean;
}

/** `first` stops at the first matching rule (Falco's default); `all` reports every match. */
export type RuleMatching = "first" | "all";

export interface LoadOptions {
  /** Rules less severe than this are dropped at load time. Default `Debug` (keep all). */
  minimumPriority?: Priority;
  /** Default `first`. */
  ruleMatching?: RuleMatching;
  /** Host name printed in JSON alerts. Default: FALCO_HOSTNAME or the machine's host name, supplied by the caller. */
  hostname?: string;
}

/** Where a load message points: the file, the YAML item and, for conditions, the place inside it. */
export interface LoadLocation {
  file?: string;
  /** 1-based line of the item in the file, when known. */
  line?: number;
  itemKind?: "rule" | "macro" | "list" | "required_engine_version" | "required_plugin_versions" | "item";
  itemName?: string;
  /** For condition and output errors: which text, the 0-based offset in it, and 1-based line/column. */
  inText?: { what: "condition" | "output" | "exception" | "threshold" | "suppress" | "sequence"; text: string; offset: number; line: number; column: number };
}

export interface LoadMessage {
  /** Stable code, Falco's where Falco has one: LOAD_ERR_YAML_PARSE, LOAD_ERR_COMPILE_CONDITION, LOAD_UNKNOWN_KEY... */
  code: string;
  message: string;
  location: LoadLocation;
  /** Human-readable form: location, message and, for conditions, a caret under the position. */
  text: string;
}

/** Values of alert output fields: uint64 fields are bigints (printed as JSON integers), missing is null. */
export type OutputValue = string | bigint | boolean | string[] | null;

/** An alert, with everything a sink needs. `toFalcoJSON()` gives Falco's JSON alert shape. */
export interface Alert {
  /** Stable across redeliveries: derived from the event id and the rule name. */
  id: string;
  rule: string;
  desc: string;
  priority: Priority;
  source: string;
  /** Sorted, de-duplicated. */
  tags: string[];
  /** Event time, RFC 3339 UTC with 9 fractional digits. */
  time: string;
  /** Event time in nanoseconds since the epoch. */
  timeNs: bigint;
  /** The formatted rule output without the time/priority prefix (Falco's `message`). */
  message: string;
  /** `<time>: <Priority> <message>` as Falco prints it. */
  output: string;
  outputFields: Record<string, OutputValue>;
  hostname: string;
  /** The CloudTrail record that fired the rule. */
  event: Record<string, unknown>;
  /** Extra data a rule kind adds (threshold counts, sequence partners...). */
  details?: Record<string, unknown>;
}
