import { load as loadYaml } from "js-yaml";
import { parsePriority, PRIORITIES } from "../../engine";
import { compileTemplate, TemplateError } from "../template";
import {
  CREDENTIAL_KEYS,
  credentialSpellings,
  FILTER_KEYS,
  keysOf,
  OPSGENIE_ALERTS_URL,
  OUTPUT_TYPES,
  PAGERDUTY_EVENTS_URL,
  type Credential,
  type OutputFilters,
  type OutputSpec,
  type OutputType,
} from "./model";
import { closest, didYouMean } from "../../suggest";
import { credentialInUrl, urlProblem } from "./urls";

/** One thing wrong (error) or doubtful (warning) in an outputs list, at a key path such as `outputs[1] (chat).url`. */
export interface OutputProblem {
  level: "error" | "warning";
  /** Stable code: OUTPUT_UNKNOWN_TYPE, OUTPUT_CREDENTIALS_IN_URL... */
  code: string;
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}

export interface OutputsRead {
  outputs: OutputSpec[];
  /** Where each output stands in the list read (invalid ones are left out of `outputs`). */
  indexes: number[];
  problems: OutputProblem[];
}

/** Output names: they label metrics and name environment variables, so a plain vocabulary. */
const OUTPUT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const ACCOUNT_ID = /^\d{12}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const LOG_GROUP_NAME = /^[A-Za-z0-9_\-/.#]{1,512}$/;
const TYPE_ALIASES: Record<string, OutputType> = { msteams: "teams", falcosidekick: "webhook", http: "webhook", cloudwatchlogs: "cloudwatch", aws_securityhub: "securityhub", opsgenie: "opsgenie" };

/** Reads an outputs file's text (YAML or JSON): `outputs:` and its list. `file` names it in every problem. */
export function readOutputsFile(text: string, file: string): OutputsRead {
  let doc: unknown;
  try {
    doc = loadYaml(text, { filename: file });
  } catch (e) {
    return { outputs: [], indexes: [], problems: [{ level: "error", code: "OUTPUTS_YAML", path: file, message: (e as Error).message.split("\n")[0] }] };
  }
  if (!isRecord(doc) || !("outputs" in doc)) {
    return { outputs: [], indexes: [], problems: [{ level: "error", code: "OUTPUTS_NOT_A_LIST", path: file, message: "expected a mapping with an 'outputs:' list, e.g.\n  outputs:\n    - name: chat\n      type: slack\n      urlEnv: SLACK_WEBHOOK_URL" }] };
  }
  const problems: OutputProblem[] = [];
  for (const key of Object.keys(doc)) {
    if (key !== "outputs") problems.push({ level: "error", code: "OUTPUT_UNKNOWN_KEY", path: `${file}: ${key}`, message: `unknown key; the file holds one key, outputs${didYouMean(key, ["outputs"])}` });
  }
  const read = readOutputList(doc.outputs, `${file}: outputs`);
  return { ...read, problems: [...problems, ...read.problems] };
}

/** Checks a list of outputs (already parsed: from a file, an environment variable or stack config). */
export function readOutputList(value: unknown, base: string): OutputsRead {
  const problems: OutputProblem[] = [];
  const outputs: OutputSpec[] = [];
  const indexes: number[] = [];
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ level: "error", code: "OUTPUTS_NOT_A_LIST", path: base, message: `expected a list of one or more outputs, each with a name and a type (one of ${OUTPUT_TYPES.join(", ")})` });
    return { outputs, indexes, problems };
  }
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const name = isRecord(item) && typeof item.name === "string" ? item.name : undefined;
    const at = `${base}[${i}]${name ? ` (${name})` : ""}`;
    const before = problems.length;
    const spec = readOutput(item, at, problems);
    if (name !== undefined && seen.has(name)) problems.push({ level: "error", code: "OUTPUT_DUPLICATE_NAME", path: `${at}.name`, message: `another output is already named '${name}'; give each output its own name` });
    if (name !== undefined) seen.add(name);
    if (spec && !problems.slice(before).some((p) => p.level === "error")) {
      outputs.push(spec);
      indexes.push(i);
    }
  });
  return { outputs, indexes, problems };
}

function readOutput(item: unknown, at: string, problems: OutputProblem[]): OutputSpec | undefined {
  const error = (code: string, key: string, message: string) => problems.push({ level: "error", code, path: key ? `${at}.${key}` : at, message });
  if (!isRecord(item)) {
    error("OUTPUT_WRONG_TYPE", "", `expected a mapping with name, type and the type's settings, got ${show(item)}`);
    return undefined;
  }
  const name = item.name;
  if (name === undefined) error("OUTPUT_MISSING_KEY", "name", "missing: give the output a name, e.g. name: chat");
  else if (typeof name !== "string" || !OUTPUT_NAME.test(name)) error("OUTPUT_INVALID_NAME", "name", `${show(name)} is not a usable name: use 1 to 64 lowercase letters, digits and hyphens, e.g. storage-team`);

  const rawType = item.type;
  if (rawType === undefined) {
    error("OUTPUT_MISSING_KEY", "type", `missing: one of ${OUTPUT_TYPES.join(", ")}`);
    return undefined;
  }
  if (typeof rawType !== "string" || !(OUTPUT_TYPES as readonly string[]).includes(rawType)) {
    const text = String(rawType);
    const hint = TYPE_ALIASES[text.toLowerCase()] ?? closest(text, OUTPUT_TYPES);
    error("OUTPUT_UNKNOWN_TYPE", "type", `unknown type ${show(rawType)}${hint ? ` (did you mean "${hint}"?)` : ""}; use one of ${OUTPUT_TYPES.join(", ")}`);
    return undefined;
  }
  const type = rawType as OutputType;
  const known = keysOf(type);
  for (const key of Object.keys(item)) {
    if (known.includes(key)) continue;
    const elsewhere = OUTPUT_TYPES.filter((t) => t !== type && keysOf(t).includes(key));
    error("OUTPUT_UNKNOWN_KEY", key, elsewhere.length ? `not a setting of type ${type} (only of ${elsewhere.join(", ")})` : `unknown key${didYouMean(key, known)}; ${type} outputs take ${known.join(", ")}`);
  }

  const filters = readFilters(item, at, problems);
  const str = (key: string): string | undefined => {
    const v = item[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string" || v.trim() === "") {
      error("OUTPUT_WRONG_TYPE", key, `expected a non-empty string, got ${show(v)}`);
      return undefined;
    }
    return v;
  };
  const credential = (key: string, isUrl: boolean): Credential | undefined => readCredential(item, key, isUrl, at, problems);
  const template = (key: "title" | "text"): string | undefined => {
    const t = str(key);
    if (t === undefined) return undefined;
    try {
      compileTemplate(t);
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      error("OUTPUT_TEMPLATE", key, `${e.message} (at character ${e.offset + 1})`);
    }
    return t;
  };
  const endpoint = (fallback: string): string => {
    const url = str("url");
    if (url === undefined) return fallback;
    const bad = urlProblem(url) ?? (credentialInUrl(url) ? { reason: `holds ${credentialInUrl(url)}` } : undefined);
    if (bad) error("OUTPUT_INVALID_URL", "url", `${bad.reason}; give the service's endpoint, e.g. ${fallback}`);
    return url;
  };
  const base = { name: String(name), filters };
  const templated = () => ({ ...optional("title", template("title")), ...optional("text", template("text")) });

  switch (type) {
    case "slack":
    case "teams": {
      const url = credential("url", true);
      return url && { ...base, type, url, ...templated() };
    }
    case "pagerduty": {
      const routingKey = credential("routingKey", false);
      return routingKey && { ...base, type, routingKey, url: endpoint(PAGERDUTY_EVENTS_URL), ...templated() };
    }
    case "opsgenie": {
      const apiKey = credential("apiKey", false);
      return apiKey && { ...base, type, apiKey, url: endpoint(OPSGENIE_ALERTS_URL), ...templated() };
    }
    case "webhook": {
      const url = credential("url", true);
      return url && { ...base, type, url };
    }
    case "sns": {
      const topicArn = str("topicArn");
      if (topicArn === undefined) error("OUTPUT_MISSING_KEY", "topicArn", "missing: the ARN of the topic to publish to, e.g. arn:aws:sns:us-east-1:111122223333:alerts");
      else if (!SNS_TOPIC_ARN.test(topicArn)) error("OUTPUT_INVALID_VALUE", "topicArn", `${show(topicArn)} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)`);
      return topicArn === undefined ? undefined : { ...base, type, topicArn };
    }
    case "securityhub":
      return { ...base, type };
    case "cloudwatch": {
      const logGroup = str("logGroup");
      const logStream = str("logStream");
      if (logGroup !== undefined && !LOG_GROUP_NAME.test(logGroup)) error("OUTPUT_INVALID_VALUE", "logGroup", `${show(logGroup)} is not a log group name: use 1 to 512 of A-Z a-z 0-9 _ - / . #`);
      if (logStream !== undefined && /[:*]/.test(logStream)) error("OUTPUT_INVALID_VALUE", "logStream", `${show(logStream)} is not a log stream name: no ':' or '*'`);
      return { ...base, type, ...optional("logGroup", logGroup), ...optional("logStream", logStream) };
    }
    case "stdout": {
      const format = str("format") ?? "json";
      if (format !== "json" && format !== "text") error("OUTPUT_INVALID_VALUE", "format", `${show(format)}: use json (Falco's JSON alert) or text (Falco's text line)`);
      return { ...base, type, format: format === "text" ? "text" : "json" };
    }
  }
}

/** `key`, `keyEnv` or `keySecret`: exactly one. */
function readCredential(item: Record<string, unknown>, key: string, isUrl: boolean, at: string, problems: OutputProblem[]): Credential | undefined {
  const [plain, env, secret] = credentialSpellings(key);
  const given = [plain, env, secret].filter((k) => item[k] !== undefined && item[k] !== null);
  const error = (code: string, k: string, message: string) => problems.push({ level: "error", code, path: `${at}.${k}`, message });
  if (given.length === 0) {
    error("OUTPUT_MISSING_KEY", plain, `missing: give ${secret} (a Secrets Manager secret's name or ARN), ${env} (an environment variable holding it)${isUrl ? `, or ${plain} for a URL that holds no credential` : ""}`);
    return undefined;
  }
  if (given.length > 1) {
    error("OUTPUT_CONFLICT", given[1], `give only one of ${plain}, ${env} and ${secret}`);
    return undefined;
  }
  const k = given[0];
  const value = item[k];
  if (typeof value !== "string" || value.trim() === "") {
    error("OUTPUT_WRONG_TYPE", k, `expected a non-empty string, got ${show(value)}`);
    return undefined;
  }
  if (k === env) {
    if (!ENV_NAME.test(value)) error("OUTPUT_INVALID_VALUE", k, `${show(value)} is not an environment variable name (letters, digits and _, not starting with a digit)`);
    return { env: value };
  }
  if (k === secret) return { secret: value };
  if (!isUrl) {
    error("OUTPUT_CREDENTIAL_IN_CLEAR", k, `a ${key} is a credential and must not be written in clear text: use ${secret} (a Secrets Manager secret) or ${env} (an environment variable)`);
    return undefined;
  }
  const bad = urlProblem(value);
  if (bad) {
    error("OUTPUT_INVALID_URL", k, `${bad.reason}; give the http:// or https:// URL to post to`);
    return undefined;
  }
  const credential = credentialInUrl(value);
  if (credential) {
    error("OUTPUT_CREDENTIALS_IN_URL", k, `the URL holds ${credential}, which would be stored and shown in clear text: put the URL in a secret and give ${secret} (Secrets Manager) or ${env} (environment variable) instead; user:password@ from a secret is sent as HTTP Basic authentication`);
    return undefined;
  }
  return { value };
}

function readFilters(item: Record<string, unknown>, at: string, problems: OutputProblem[]): OutputFilters {
  const filters: OutputFilters = {};
  const error = (code: string, key: string, message: string) => problems.push({ level: "error", code, path: `${at}.${key}`, message });
  if (item.minimumPriority !== undefined) {
    const p = typeof item.minimumPriority === "string" ? parsePriority(item.minimumPriority) : undefined;
    if (p) filters.minimumPriority = p;
    else error("OUTPUT_INVALID_VALUE", "minimumPriority", `${show(item.minimumPriority)} is not a priority; use one of ${PRIORITIES.map((x) => x.toLowerCase()).join(", ")}`);
  }
  for (const key of FILTER_KEYS) {
    if (key === "minimumPriority" || item[key] === undefined) continue;
    const list = item[key];
    const example = key === "accounts" ? "['111122223333']" : key === "tags" ? "[aws_s3]" : key === "rules" ? "['S3 *']" : "[prod-*]";
    if (!Array.isArray(list) || list.length === 0 || list.some((v) => typeof v !== "string" || v === "")) {
      error("OUTPUT_WRONG_TYPE", key, `expected a list of one or more non-empty strings, e.g. ${key}: ${example}; got ${show(list)}`);
      continue;
    }
    if (key === "accounts") list.forEach((a, j) => ACCOUNT_ID.test(a) || error("OUTPUT_INVALID_VALUE", `accounts[${j}]`, `${show(a)} is not a 12-digit AWS account id (quote it in YAML so leading zeros stay)`));
    filters[key] = [...list] as string[];
  }
  return filters;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Credential keys of a type, for callers that map credentials (the Pulumi program, secrets). */
export function credentialKeysOf(type: OutputType): readonly string[] {
  return CREDENTIAL_KEYS[type];
}
