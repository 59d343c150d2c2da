import { isRecord, ProblemList, topLevelKey } from "./configReader";
import { SecretText } from "./secretText";

export type { ConfigSecrets } from "./secretText";

/**
 * Settings that are secrets: webhook URLs, API keys, routing keys. One mechanism for all of them.
 *
 * In stack YAML a secret setting takes one of three forms:
 *
 * ```yaml
 * s3guard:connector:
 *   webhookUrl:                      # set with: pulumi config set --secret --path 's3guard:connector.webhookUrl' https://...
 *     secure: v1:AAAB...
 *   webhookUrl:
 *     secretsManager: arn:aws:secretsmanager:us-east-1:111122223333:secret:s3guard/webhook-AbCdEf
 *     jsonKey: url                   # optional: one key of a JSON secret
 *     kmsKeyArn: arn:aws:kms:...     # optional: the customer managed key the secret is encrypted with
 *   webhookUrl:
 *     ssmParameter: arn:aws:ssm:us-east-1:111122223333:parameter/s3guard/webhook   # a SecureString
 * ```
 *
 * A value in clear text is refused: it would sit unencrypted in the stack file, the state and every
 * preview. To add a secret setting to a config reader, call `readSecret` for its key; it returns a
 * `SecretSetting`. Hand that to the connector as a `ContainerSecret` (components/connector/secrets.ts)
 * with the environment variable the detector reads: the kit keeps a config secret in a Secrets Manager
 * secret of the stack, the task definition names it in the container's `secrets` (never its value),
 * and the execution role may read exactly the secrets the container names.
 */
export type SecretSetting =
  /** Set with `pulumi config set --secret`: the kit stores it in a Secrets Manager secret of its own. */
  | { readonly from: "config"; readonly text: SecretText }
  /** A secret that already exists in Secrets Manager, optionally one key of its JSON value. */
  | { readonly from: "secretsManager"; readonly arn: string; readonly jsonKey?: string; readonly kmsKeyArn?: string }
  /** An SSM Parameter Store SecureString. */
  | { readonly from: "ssmParameter"; readonly arn: string; readonly kmsKeyArn?: string };

/** Full ARN of a Secrets Manager secret, with the six characters Secrets Manager appends to its name. */
export const SECRETS_MANAGER_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;
/** ARN of an SSM parameter (`/a/b` has the ARN `...:parameter/a/b`). */
export const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const REFERENCE_KEYS = ["secretsManager", "ssmParameter", "jsonKey", "kmsKeyArn"] as const;

/**
 * Reads a secret setting at `path`. `check` validates a readable text (it returns what is wrong, or
 * `undefined`); problems never show the text. Absent, `null` and `""` mean "not set".
 */
export function readSecret(
  problems: ProblemList,
  path: string,
  value: unknown,
  what: { readonly accepted: string; readonly check?: (plain: string) => string | undefined },
): SecretSetting | undefined {
  const forms =
    `set it with \`pulumi config set --secret --path '${path}' <value>\`, or name a secret: ` +
    "{secretsManager: <secret ARN>} or {ssmParameter: <SecureString parameter ARN>}";
  if (value === undefined || value === null || value === "") {
    return undefined;
  }
  if (value instanceof SecretText) {
    return checked(problems, path, value, what) ? { from: "config", text: value } : undefined;
  }
  if (typeof value === "string") {
    if (problems.secrets.isSecret(topLevelKey(path)) === false) {
      problems.add("PLAINTEXT_SECRET", path, SecretText.REDACTED, "a secret in clear text in the stack configuration", forms);
      return undefined;
    }
    const { output } = problems.secrets;
    const text = SecretText.of(value, output && (() => output(path)));
    return checked(problems, path, text, what) ? { from: "config", text } : undefined;
  }
  if (isRecord(value)) {
    return readReference(problems, path, value, forms);
  }
  problems.add("WRONG_TYPE", path, SecretText.REDACTED, `not ${what.accepted}`, forms);
  return undefined;
}

function checked(problems: ProblemList, path: string, text: SecretText, what: { accepted: string; check?: (plain: string) => string | undefined }): boolean {
  const wrong = what.check === undefined ? undefined : text.peek(what.check);
  if (wrong !== undefined) {
    problems.add("INVALID_SECRET", path, SecretText.REDACTED, wrong, `use ${what.accepted}`);
    return false;
  }
  return true;
}

function readReference(problems: ProblemList, path: string, value: Record<string, unknown>, forms: string): SecretSetting | undefined {
  const before = problems.problems.length;
  for (const key of Object.keys(value)) {
    if (!(REFERENCE_KEYS as readonly string[]).includes(key)) {
      problems.add("UNKNOWN_KEY", `${path}.${key}`, SecretText.REDACTED, "unknown key", `a secret is named with ${REFERENCE_KEYS.join(", ")}`);
    }
  }
  const { secretsManager, ssmParameter, jsonKey, kmsKeyArn } = value;
  if ((secretsManager === undefined) === (ssmParameter === undefined)) {
    problems.add("CONFLICT", path, value, "names no secret, or two", `give exactly one of secretsManager or ssmParameter; or ${forms}`);
    return undefined;
  }
  const arnProblem = (key: string, arn: unknown, pattern: RegExp, what: string, example: string): void => {
    if (typeof arn !== "string" || !pattern.test(arn)) {
      problems.add("INVALID_ARN", `${path}.${key}`, arn, `not ${what}`, `use ${what} like ${example}`);
    }
  };
  if (secretsManager !== undefined) {
    arnProblem(
      "secretsManager",
      secretsManager,
      SECRETS_MANAGER_ARN,
      "the full ARN of a Secrets Manager secret",
      "arn:aws:secretsmanager:us-east-1:111122223333:secret:s3guard/webhook-AbCdEf (the console shows it; the 6 characters after the last hyphen are part of it)",
    );
  } else {
    arnProblem("ssmParameter", ssmParameter, SSM_PARAMETER_ARN, "an SSM parameter ARN", "arn:aws:ssm:us-east-1:111122223333:parameter/s3guard/webhook");
    if (jsonKey !== undefined) {
      problems.add("CONFLICT", `${path}.jsonKey`, jsonKey, "only a Secrets Manager secret has JSON keys", "remove jsonKey, or store the value in Secrets Manager");
    }
  }
  if (jsonKey !== undefined && (typeof jsonKey !== "string" || jsonKey === "" || jsonKey.includes(":"))) {
    problems.add("WRONG_TYPE", `${path}.jsonKey`, jsonKey, "not a JSON key ECS can select", "use the name of a top-level key of the secret's JSON value, without ':'");
  }
  if (kmsKeyArn !== undefined) {
    arnProblem("kmsKeyArn", kmsKeyArn, KMS_KEY_ARN, "a KMS key ARN", "arn:aws:kms:us-east-1:111122223333:key/<key-id>");
  }
  if (problems.problems.length > before) {
    return undefined;
  }
  const key = kmsKeyArn !== undefined ? { kmsKeyArn: kmsKeyArn as string } : {};
  return secretsManager !== undefined
    ? { from: "secretsManager", arn: secretsManager as string, ...(jsonKey !== undefined ? { jsonKey: jsonKey as string } : {}), ...key }
    : { from: "ssmParameter", arn: ssmParameter as string, ...key };
}

/** The TCP port of a secret https URL, when it is readable and names one other than 443. */
export function secretUrlPort(setting: SecretSetting | undefined): number | undefined {
  if (setting?.from !== "config") {
    return undefined;
  }
  const port = setting.text.peek((url) => {
    try {
      return new URL(url).port;
    } catch {
      return "";
    }
  });
  return port === undefined || port === "" ? undefined : Number(port);
}
