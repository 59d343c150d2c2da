import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { parsePriority, type Priority, type RuleMatching } from "../engine";
import { legacyOutputs } from "../alerts/outputs/legacy";
import type { OutputSpec } from "../alerts/outputs/model";
import { readOutputsFile } from "../alerts/outputs/read";
import { parseByteSize } from "../ingest/decode";
import { availableCores } from "../parallel/pool";

/**
 * The service's settings, all from the environment so the deployment (the Pulumi component's task
 * definition) sets them. Names and defaults are a contract with that component: keep them.
 */
export interface ConnectorConfig {
  queueUrl: string;
  rules: {
    /** Without a bucket the bundled rules are used. */
    bucket?: string;
    prefix: string;
    /** The deployment context file in the bucket (S3GUARD_CONTEXT_KEY), applied after the rules. */
    contextKey?: string;
    reloadSeconds: number;
  };
  /** Where alerts go: S3GUARD_OUTPUTS (or S3GUARD_OUTPUTS_FILE), else the S3GUARD_ALERTS sinks. */
  outputs: OutputSpec[];
  /** Default log group and stream of cloudwatch outputs. */
  logGroup: string;
  logStream: string;
  minimumPriority: Priority;
  ruleMatching: RuleMatching;
  healthPort: number;
  /** Interface the health server listens on: loopback unless the metrics must be scraped from outside the task. */
  healthHost: string;
  /** The largest decompressed size read from one log object; the rest of a larger one is refused. */
  maxLogBytes: number;
  /** Alert ids remembered per sink, to drop duplicates, for this long... */
  dedupSeconds: number;
  /** ...and at most this many. */
  dedupMaxIds: number;
  /** With a state table: how long a task's claim to send an alert holds (see state/deliveryLedger.ts). */
  deliveryLeaseSeconds: number;
  /** Messages processed at once. */
  concurrency: number;
  /** Threads that evaluate log objects (S3GUARD_WORKERS, default the cores available); 1: this thread alone. */
  workers: number;
  /** SQS long-poll wait. */
  receiveWaitSeconds: number;
  /** Time allowed after SIGTERM to finish in-flight messages before they are released. */
  shutdownSeconds: number;
  /** A role assumed to read log objects of other accounts' buckets (a log archive account's). */
  readRole?: ReadRole;
  /** Accounts whose records are evaluated (S3GUARD_ACCOUNT_IDS); absent: every account. */
  accountIds?: ReadonlySet<string>;
}

export interface ReadRole {
  arn: string;
  externalId?: string;
  /** Buckets read through the role; empty: every log bucket. */
  buckets: string[];
}

export type ConfigResult = { ok: true; config: ConnectorConfig } | { ok: false; errors: string[] };

type Env = Record<string, string | undefined>;

export const CONFIG_DEFAULTS = {
  S3GUARD_RULES_PREFIX: "rules/",
  S3GUARD_RULES_RELOAD_SECONDS: 60,
  S3GUARD_ALERTS: "stdout",
  S3GUARD_LOG_GROUP: "cloud-connector",
  S3GUARD_LOG_STREAM: "alerts",
  S3GUARD_MIN_PRIORITY: "debug",
  S3GUARD_RULE_MATCHING: "first",
  S3GUARD_HEALTH_PORT: 8080,
  S3GUARD_HEALTH_HOST: "127.0.0.1",
  S3GUARD_MAX_LOG_BYTES: "1GiB",
  S3GUARD_DEDUP_SECONDS: 3600,
  S3GUARD_DEDUP_MAX_IDS: 100_000,
  S3GUARD_DELIVERY_LEASE_SECONDS: 60,
  S3GUARD_CONCURRENCY: 4,
  S3GUARD_RECEIVE_WAIT_SECONDS: 20,
  S3GUARD_SHUTDOWN_SECONDS: 25,
} as const;

/** Reads and checks every setting; all problems are reported together, each naming its variable. */
export function readConnectorConfig(env: Env): ConfigResult {
  const errors: string[] = [];
  const text = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const int = (name: keyof typeof CONFIG_DEFAULTS, min: number, max: number): number => {
    const raw = text(name);
    const fallback = CONFIG_DEFAULTS[name] as number;
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      errors.push(`${name}=${JSON.stringify(raw)}: must be a whole number from ${min} to ${max} (default ${fallback})`);
      return fallback;
    }
    return n;
  };

  const queueUrl = text("S3GUARD_QUEUE_URL");
  if (!queueUrl) errors.push("S3GUARD_QUEUE_URL is required: the URL of the SQS queue that receives the trail's delivery notifications");
  else if (!/^https?:\/\//.test(queueUrl)) errors.push(`S3GUARD_QUEUE_URL=${JSON.stringify(queueUrl)}: must be a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)`);

  const outputs = readOutputs(env, text, errors);

  const priorityText = text("S3GUARD_MIN_PRIORITY") ?? CONFIG_DEFAULTS.S3GUARD_MIN_PRIORITY;
  const minimumPriority = parsePriority(priorityText);
  if (!minimumPriority) errors.push(`S3GUARD_MIN_PRIORITY=${JSON.stringify(priorityText)}: must be one of emergency, alert, critical, error, warning, notice, info, debug`);
  const matching = (text("S3GUARD_RULE_MATCHING") ?? CONFIG_DEFAULTS.S3GUARD_RULE_MATCHING).toLowerCase();
  if (matching !== "first" && matching !== "all") errors.push(`S3GUARD_RULE_MATCHING=${JSON.stringify(matching)}: must be first or all`);

  const healthHost = text("S3GUARD_HEALTH_HOST") ?? CONFIG_DEFAULTS.S3GUARD_HEALTH_HOST;
  if (isIP(healthHost) === 0 && healthHost !== "localhost") {
    errors.push(`S3GUARD_HEALTH_HOST=${JSON.stringify(healthHost)}: must be an IP address to listen on, e.g. 127.0.0.1 (the default: the container's own health check) or 0.0.0.0 (every interface, to scrape /metrics from outside the task)`);
  }

  const maxLogText = text("S3GUARD_MAX_LOG_BYTES") ?? CONFIG_DEFAULTS.S3GUARD_MAX_LOG_BYTES;
  const maxLogBytes = parseByteSize(maxLogText);
  if (maxLogBytes === undefined) errors.push(`S3GUARD_MAX_LOG_BYTES=${JSON.stringify(maxLogText)}: must be a size in bytes, e.g. 1073741824, 512MiB or 2GiB (default ${CONFIG_DEFAULTS.S3GUARD_MAX_LOG_BYTES})`);

  let prefix = text("S3GUARD_RULES_PREFIX") ?? CONFIG_DEFAULTS.S3GUARD_RULES_PREFIX;
  if (prefix === "/") prefix = "";

  const config: ConnectorConfig = {
    queueUrl: queueUrl ?? "",
    rules: { bucket: text("S3GUARD_RULES_BUCKET"), prefix, contextKey: text("S3GUARD_CONTEXT_KEY"), reloadSeconds: int("S3GUARD_RULES_RELOAD_SECONDS", 1, 86_400) },
    outputs,
    logGroup: text("S3GUARD_LOG_GROUP") ?? CONFIG_DEFAULTS.S3GUARD_LOG_GROUP,
    logStream: text("S3GUARD_LOG_STREAM") ?? CONFIG_DEFAULTS.S3GUARD_LOG_STREAM,
    minimumPriority: minimumPriority ?? "Debug",
    ruleMatching: matching === "all" ? "all" : "first",
    healthPort: int("S3GUARD_HEALTH_PORT", 0, 65_535),
    healthHost,
    maxLogBytes: maxLogBytes ?? 1024 ** 3,
    dedupSeconds: int("S3GUARD_DEDUP_SECONDS", 0, 7 * 86_400),
    dedupMaxIds: int("S3GUARD_DEDUP_MAX_IDS", 1, 10_000_000),
    deliveryLeaseSeconds: int("S3GUARD_DELIVERY_LEASE_SECONDS", 1, 900),
    concurrency: int("S3GUARD_CONCURRENCY", 1, 100),
    workers: readWorkers(text("S3GUARD_WORKERS"), errors),
    receiveWaitSeconds: int("S3GUARD_RECEIVE_WAIT_SECONDS", 0, 20),
    shutdownSeconds: int("S3GUARD_SHUTDOWN_SECONDS", 1, 28),
  };
  const readRole = readReadRole(text, errors);
  if (readRole) config.readRole = readRole;
  const accountIds = readAccountIds(text("S3GUARD_ACCOUNT_IDS"), errors);
  if (accountIds) config.accountIds = accountIds;
  return errors.length ? { ok: false, errors } : { ok: true, config };
}

/**
 * The outputs: an outputs file's text in S3GUARD_OUTPUTS or its path in S3GUARD_OUTPUTS_FILE; else
 * the older S3GUARD_ALERTS list, mapped onto outputs so existing deployments keep working.
 */
function readOutputs(env: Env, text: (name: string) => string | undefined, errors: string[]): OutputSpec[] {
  const inline = text("S3GUARD_OUTPUTS");
  const file = text("S3GUARD_OUTPUTS_FILE");
  const given = [inline && "S3GUARD_OUTPUTS", file && "S3GUARD_OUTPUTS_FILE", text("S3GUARD_ALERTS") && "S3GUARD_ALERTS"].filter(Boolean);
  if (given.length > 1) {
    errors.push(`${given.join(" and ")} are both set: give the outputs in one place (S3GUARD_OUTPUTS, or S3GUARD_OUTPUTS_FILE; S3GUARD_ALERTS is the older form)`);
    return [];
  }
  let source: { text: string; name: string } | undefined;
  if (inline) source = { text: inline, name: "S3GUARD_OUTPUTS" };
  else if (file) {
    try {
      source = { text: readFileSync(file, "utf8"), name: file };
    } catch (e) {
      errors.push(`S3GUARD_OUTPUTS_FILE=${JSON.stringify(file)}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return [];
    }
  }
  if (!source) {
    const legacy = legacyOutputs(text("S3GUARD_ALERTS") ?? CONFIG_DEFAULTS.S3GUARD_ALERTS, env);
    errors.push(...legacy.errors);
    return legacy.outputs;
  }
  const read = readOutputsFile(source.text, source.name);
  for (const p of read.problems) if (p.level === "error") errors.push(`${p.path}: ${p.message}`);
  return read.outputs;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** S3GUARD_READ_ROLE_ARN, its external id and the buckets read through it. */
function readReadRole(text: (name: string) => string | undefined, errors: string[]): ReadRole | undefined {
  const arn = text("S3GUARD_READ_ROLE_ARN");
  const externalId = text("S3GUARD_READ_ROLE_EXTERNAL_ID");
  const buckets = (text("S3GUARD_READ_ROLE_BUCKETS") ?? "").split(",").map((b) => b.trim()).filter(Boolean);
  if (!arn) {
    for (const name of ["S3GUARD_READ_ROLE_EXTERNAL_ID", "S3GUARD_READ_ROLE_BUCKETS"]) {
      if (text(name)) errors.push(`${name} is set without S3GUARD_READ_ROLE_ARN: set the role to assume, or unset ${name}`);
    }
    return undefined;
  }
  if (!ROLE_ARN.test(arn)) {
    errors.push(`S3GUARD_READ_ROLE_ARN=${JSON.stringify(arn)}: must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
    return undefined;
  }
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
    errors.push(`S3GUARD_READ_ROLE_EXTERNAL_ID: must be 2 to 1224 letters, digits or any of + = , . @ : / - (as the role's trust policy asks)`);
  }
  return { arn, ...(externalId !== undefined ? { externalId } : {}), buckets };
}

/** S3GUARD_ACCOUNT_IDS: a comma list of 12-digit account ids. */
function readAccountIds(value: string | undefined, errors: string[]): Set<string> | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(",").map((id) => id.trim()).filter(Boolean);
  const bad = ids.filter((id) => !/^\d{12}$/.test(id));
  if (bad.length > 0 || ids.length === 0) {
    errors.push(`S3GUARD_ACCOUNT_IDS=${JSON.stringify(value)}: must be a comma list of 12-digit account ids${bad.length ? ` (not one: ${bad.map((b) => JSON.stringify(b)).join(", ")})` : ""}`);
    return undefined;
  }
  return new Set(ids);
}

/** S3GUARD_WORKERS: a whole number of threads, by default the cores available. */
function readWorkers(value: string | undefined, errors: string[]): number {
  if (value === undefined) return availableCores();
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 256) {
    errors.push(`S3GUARD_WORKERS=${JSON.stringify(value)}: must be a whole number of threads from 1 to 256 (default: the cores available, ${availableCores()})`);
    return availableCores();
  }
  return n;
}
