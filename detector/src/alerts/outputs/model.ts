import type { Priority } from "../../engine";

/**
 * The outputs file: where alerts go, and which alerts go where. One model for `s3guard scan
 * --outputs FILE` and the Cloud Connector (`S3GUARD_OUTPUTS`, from the stack's
 * `s3guard:connector.outputs`), so a route tried locally behaves the same once deployed.
 */
export const OUTPUT_TYPES = ["slack", "teams", "pagerduty", "opsgenie", "webhook", "sns", "securityhub", "cloudwatch", "stdout"] as const;
export type OutputType = (typeof OUTPUT_TYPES)[number];

/** Filters an alert must all pass to reach an output; each list passes when any of its entries matches. */
export interface OutputFilters {
  minimumPriority?: Priority;
  /** Rule names, with `*` and `?` wildcards. */
  rules?: string[];
  tags?: string[];
  /** 12-digit account ids, matched against the record's account. */
  accounts?: string[];
  /** Bucket names, with `*` and `?` wildcards, matched against the record's bucket. */
  buckets?: string[];
}

/**
 * Where a credential comes from: written in the file (only where it is no secret), an environment
 * variable (the connector's container gets Secrets Manager secrets that way), or a Secrets Manager
 * secret read at start.
 */
export type Credential = { value: string } | { env: string } | { secret: string };

/** The keys that hold credentials, per type; each is given as `KEY`, `KEYEnv` or `KEYSecret`. */
export const CREDENTIAL_KEYS = {
  slack: ["url"],
  teams: ["url"],
  pagerduty: ["routingKey"],
  opsgenie: ["apiKey"],
  webhook: ["url"],
  sns: [],
  securityhub: [],
  cloudwatch: [],
  stdout: [],
} as const satisfies Record<OutputType, readonly string[]>;

/** Other keys each type accepts besides `name`, `type`, the filters and its credentials. */
export const SETTING_KEYS = {
  slack: ["title", "text"],
  teams: ["title", "text"],
  pagerduty: ["title", "text", "url"],
  opsgenie: ["title", "text", "url"],
  webhook: [],
  sns: ["topicArn"],
  securityhub: [],
  cloudwatch: ["logGroup", "logStream"],
  stdout: ["format"],
} as const satisfies Record<OutputType, readonly string[]>;

export const FILTER_KEYS = ["minimumPriority", "rules", "tags", "accounts", "buckets"] as const;

/** Default service endpoints for the paging services (EU accounts set `url`). */
export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";
export const OPSGENIE_ALERTS_URL = "https://api.opsgenie.com/v2/alerts";

interface Common {
  name: string;
  filters: OutputFilters;
}

export interface Templated {
  /** Template of the title line (see template.ts); each type has its default. */
  title?: string;
  text?: string;
}

export type OutputSpec =
  | (Common & Templated & { type: "slack" | "teams"; url: Credential })
  | (Common & Templated & { type: "pagerduty"; routingKey: Credential; url: string })
  | (Common & Templated & { type: "opsgenie"; apiKey: Credential; url: string })
  | (Common & { type: "webhook"; url: Credential })
  | (Common & { type: "sns"; topicArn: string })
  | (Common & { type: "securityhub" })
  | (Common & { type: "cloudwatch"; logGroup?: string; logStream?: string })
  | (Common & { type: "stdout"; format: "json" | "text" });

/** A credential key's three spellings. */
export function credentialSpellings(key: string): [string, string, string] {
  return [key, `${key}Env`, `${key}Secret`];
}

/** Every key an output of `type` accepts. */
export function keysOf(type: OutputType): string[] {
  return ["name", "type", ...FILTER_KEYS, ...CREDENTIAL_KEYS[type].flatMap(credentialSpellings), ...SETTING_KEYS[type]];
}
