import { LineCounter, parseDocument } from "yaml";
import { checkConfig } from "./config";
import { ARCHIVE_NAMESPACE, checkLogArchiveConfig } from "./configLogArchive";
import type { ConfigProblem } from "./configErrors";
import { isRecord, RawSection } from "./configReader";
import { NAMESPACE, readStackConfig } from "./configSource";
import { SecretText } from "./secretText";

/**
 * Checks a stack file (`Pulumi.<stack>.yaml`) offline, with the validator the program runs before it
 * declares anything: no Pulumi CLI, no backend, no AWS. Values set with `--secret` are stored encrypted
 * (`secure: v1:...`) and cannot be read without the stack's secrets provider: they count as set, and
 * checks of their text are skipped.
 */
export interface StackFileCheck {
  /** Every problem, each naming its key path (`s3guard:watchedBuckets[0].name`). */
  readonly problems: readonly ConfigProblem[];
  /** How many values are encrypted (checked for where they are, not for what they say). */
  readonly encryptedValues: number;
  /** The file imports Pulumi ESC environments, whose values this check cannot see. */
  readonly importsEnvironments: boolean;
}

/**
 * `namespace` is the program's: `s3guard` (the s3guard project) or `s3guard-log-archive` (log-archive/),
 * each checked with its own validator.
 */
export function checkStackFile(text: string, stack: string, namespace: string = NAMESPACE): StackFileCheck {
  const lines = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  if (document.errors.length > 0) {
    const [error] = document.errors;
    const at = lines.linePos(error.pos[0]);
    return fileProblem(`not valid YAML at line ${at.line}, column ${at.col}: ${error.message.split("\n")[0]}`);
  }
  const content: unknown = document.toJS() ?? {};
  if (!isRecord(content)) {
    return fileProblem("not a mapping; a stack file holds `config:` (and optionally `secretsprovider:`, `encryptedkey:`, `environment:`)");
  }
  const config = content.config ?? {};
  if (!isRecord(config)) {
    return fileProblem("`config:` is not a mapping of keys (like `s3guard:watchedBuckets`) to values");
  }

  const raw: RawSection = {};
  const secretKeys = new Set<string>();
  let encryptedValues = 0;
  const decode = (value: unknown, key: string): unknown => {
    if (isEncrypted(value)) {
      encryptedValues++;
      secretKeys.add(key);
      return SecretText.encrypted();
    }
    if (Array.isArray(value)) return value.map((item) => decode(item, key));
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v, key)]));
    return value;
  };
  for (const [fullKey, value] of Object.entries(config)) {
    if (!fullKey.startsWith(`${namespace}:`)) continue;
    const key = fullKey.slice(namespace.length + 1);
    if (typeof value === "object" && value !== null) {
      raw[key] = decode(value, key);
    } else if (namespace === NAMESPACE) {
      // A top-level scalar reaches the program as text, read the way the running program reads it.
      raw[key] = readStackConfig({ [fullKey]: String(value) })[key];
    } else {
      raw[key] = String(value);
    }
  }

  const region = typeof config["aws:region"] === "string" ? config["aws:region"] : undefined;
  if (namespace === ARCHIVE_NAMESPACE) {
    const { problems } = checkLogArchiveConfig(raw, region);
    return { problems, encryptedValues, importsEnvironments: content.environment !== undefined };
  }
  const { problems } = checkConfig(raw, {
    stack,
    ...(region !== undefined ? { region } : {}),
    secrets: { isSecret: (key) => secretKeys.has(key) },
  });
  return { problems, encryptedValues, importsEnvironments: content.environment !== undefined };
}

/** A value written by `pulumi config set --secret`: `{secure: <ciphertext>}`. */
function isEncrypted(value: unknown): boolean {
  return isRecord(value) && Object.keys(value).length === 1 && typeof value.secure === "string";
}

function fileProblem(message: string): StackFileCheck {
  return { problems: [{ code: "WRONG_TYPE", path: "(file)", value: undefined, message }], encryptedValues: 0, importsEnvironments: false };
}
