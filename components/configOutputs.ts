import { readFileSync } from "fs";
import * as path from "path";
import { checkOutputsAgainstRules } from "../detector/src/alerts/outputs/check";
import { credentialSpellings, type OutputSpec } from "../detector/src/alerts/outputs/model";
import { RULES_LOADED_RULE, RULES_REJECTED_RULE } from "../detector/src/connector/systemAlerts";
import { loadRules, parsePriority } from "../detector/src/engine";
import { STATEFUL_KEYS } from "../detector/src/stateful/types";
import { listRuleFiles } from "./connector/ruleFiles";
import { readOutputList, readOutputsFile, type OutputsRead } from "../detector/src/alerts/outputs/read";
import { credentialsOf } from "../detector/src/alerts/outputs/secrets";
import { credentialEnvName } from "../detector/src/alerts/outputs/write";
import { isRecord, ProblemList } from "./configReader";
import { readSecret, SECRETS_MANAGER_ARN, type SecretSetting } from "./configSecret";
import type { OutputSecret } from "./configTypes";
import type { Priority } from "./vocabulary";

const PATH = "s3guard:connector.outputs";
const CREDENTIAL_KEYS = ["url", "routingKey", "apiKey"] as const;
/** Stands for a credential taken out of the list before the detector's reader sees it. */
const TAKEN = "stack-secret";

/**
 * `s3guard:connector.outputs`: the outputs the connector routes alerts to (docs/outputs.md), inline
 * or as the path (relative to the project) of the very file `s3guard scan --outputs` reads. It is
 * checked with the detector's own reader, so what the connector would refuse is refused before
 * deploy. Credentials reach the container only through its `secrets` (components/configSecret.ts):
 * a Pulumi secret (`pulumi config set --secret --path 's3guard:connector.outputs[0].url' ...`), a
 * `{secretsManager: ARN}` or `{ssmParameter: ARN}` reference, or the file's own `urlSecret: ARN`.
 */
export function readOutputs(problems: ProblemList, value: unknown, projectDir: string = process.cwd()): { outputs: OutputSpec[]; secrets: OutputSecret[] } | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const taken = new Map<string, SecretSetting>();
  let read: OutputsRead;
  if (typeof value === "string") {
    let text: string;
    try {
      text = readFileSync(path.resolve(projectDir, value), "utf8");
    } catch (e) {
      problems.addMessage("INVALID_OUTPUT", PATH, `cannot read the outputs file ${value} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give a path relative to the project, or the list of outputs itself`);
      return undefined;
    }
    read = readOutputsFile(text, `${PATH} (${value})`);
  } else {
    read = readOutputList(Array.isArray(value) ? value.map((item, i) => takeSecrets(problems, item, i, taken)) : value, PATH);
  }
  for (const p of read.problems) {
    if (p.level === "error") problems.addMessage("INVALID_OUTPUT", p.path, p.message);
  }
  const secrets: OutputSecret[] = [];
  read.outputs.forEach((o, n) => {
    const i = read.indexes[n];
    const at = `${PATH}[${i}] (${o.name})`;
    const url = "url" in o && typeof o.url !== "string" && "value" in o.url ? o.url.value : undefined;
    if (url !== undefined && !url.startsWith("https://")) {
      problems.addMessage("INVALID_OUTPUT", `${at}.url`, "not an https:// URL: a deployed connector sends alerts over TLS only");
    }
    for (const [key, credential] of credentialsOf(o)) {
      const [, envKey, secretKey] = credentialSpellings(key);
      const variable = credentialEnvName(o, key);
      if ("env" in credential) {
        problems.addMessage("INVALID_OUTPUT", `${at}.${envKey}`, `an environment variable is for s3guard scan; a deployed connector takes ${key} as a Pulumi secret (pulumi config set --secret --path '${PATH}[${i}].${key}' ...), {secretsManager: ARN}, or ${secretKey} with a Secrets Manager secret's ARN`);
      } else if ("secret" in credential && credential.secret === TAKEN) {
        secrets.push({ output: o.name, key, variable, setting: taken.get(`${i}.${key}`)! });
      } else if ("secret" in credential) {
        if (SECRETS_MANAGER_ARN.test(credential.secret)) secrets.push({ output: o.name, key, variable, setting: { from: "secretsManager", arn: credential.secret } });
        else problems.addMessage("INVALID_OUTPUT", `${at}.${secretKey}`, `'${credential.secret}' is not the full ARN of a Secrets Manager secret, which ECS needs to inject it: use arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters> (the console shows it)`);
      }
    }
  });
  return read.problems.some((p) => p.level === "error") ? undefined : { outputs: read.outputs, secrets };
}

/**
 * Takes the credentials that are stack secrets out of an output (a Pulumi secret, or a reference
 * to a secret), leaving `KEYSecret: stack-secret` for the detector's reader. A clear-text URL of a
 * key that is not secret stays: the reader refuses it if it holds a credential.
 */
function takeSecrets(problems: ProblemList, item: unknown, i: number, taken: Map<string, SecretSetting>): unknown {
  if (!isRecord(item)) return item;
  const copy: Record<string, unknown> = { ...item };
  for (const key of CREDENTIAL_KEYS) {
    const v = item[key];
    // A string under a secret key is a Pulumi secret; keys (routing, API) are credentials whatever their form.
    const stackSecret = isRecord(v) || (typeof v === "string" && (key !== "url" || problems.secrets.isSecret("connector") === true));
    if (!stackSecret) continue;
    const setting = readSecret(problems, `${PATH}[${i}].${key}`, v, {
      accepted: key === "url" ? "an https:// URL" : `the ${key}`,
      check: key === "url" ? (u) => (u.startsWith("https://") ? undefined : "not an https:// URL") : undefined,
    });
    delete copy[key];
    // When readSecret reported a problem, the stand-in keeps the reader from reporting it missing too.
    copy[`${key}Secret`] = TAKEN;
    if (setting) taken.set(`${i}.${key}`, setting);
  }
  return copy;
}

/**
 * Warnings about outputs the rules to be uploaded cannot reach (a rule pattern or tag no rule has,
 * filters no rule passes), counting the connector's own alerts. Rules that do not load are left to
 * the connector, which keeps its running rules; no warning is made up from them.
 */
export function outputWarnings(outputs: readonly OutputSpec[], rulesDir: string, minimumPriority: Priority): string[] {
  const files = listRuleFiles(rulesDir, "").map((f) => ({ name: f.name, content: f.content }));
  const loaded = loadRules(files, { minimumPriority: parsePriority(minimumPriority) ?? "Debug", extensionKeys: new Set(STATEFUL_KEYS) });
  if (!loaded.ok || !loaded.ruleset) return [];
  const rules = [...loaded.ruleset.active, ...SYSTEM_RULES];
  return checkOutputsAgainstRules(outputs, rules, PATH).map((p) => `${p.path}: ${p.message}`);
}

/** The connector's own alerts, routed like detections. */
const SYSTEM_RULES = [
  { name: RULES_LOADED_RULE, tags: ["s3guard"], priority: "Informational" as const },
  { name: RULES_REJECTED_RULE, tags: ["s3guard"], priority: "Error" as const },
];
