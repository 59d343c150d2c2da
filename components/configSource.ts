import * as pulumi from "@pulumi/pulumi";
import { RawSection } from "./configReader";
import { ConfigSecrets } from "./secretText";

/** The stack configuration namespace. */
export const NAMESPACE = "s3guard";

/** Keys whose values are plain strings even when they look like JSON (e.g. a prefix "123"). */
const STRING_KEYS: readonly string[] = ["namePrefix", "blockPublicAccess"];

/**
 * Turns Pulumi's flat config map (`{"s3guard:trail": "{\"multiRegion\":true}", ...}`, every value a
 * string, structured values JSON-encoded) into the raw settings `checkConfig` reads. Keys of other
 * namespaces are left out.
 */
export function readStackConfig(all: Readonly<Record<string, string | undefined>>): RawSection {
  const raw: RawSection = {};
  for (const [fullKey, text] of Object.entries(all)) {
    if (!fullKey.startsWith(`${NAMESPACE}:`) || text === undefined) {
      continue;
    }
    const key = fullKey.slice(NAMESPACE.length + 1);
    raw[key] = STRING_KEYS.includes(key) ? text : parseValue(text);
  }
  return raw;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * This stack's `s3guard:` settings as the running program sees them: plain values for validation
 * (which decides what to declare), and the secrets reader through which secret settings reach
 * resources as Pulumi secrets, never as plain strings.
 */
export function programConfig(): { raw: RawSection; secrets: ConfigSecrets } {
  const config = new pulumi.Config(NAMESPACE);
  // Only the key names come from the engine's map; values are read with pulumi.Config.
  const keys = Object.keys(pulumi.runtime.allConfig())
    .filter((k) => k.startsWith(`${NAMESPACE}:`))
    .map((k) => k.slice(NAMESPACE.length + 1));
  const raw = readStackConfig(Object.fromEntries(keys.map((k) => [`${NAMESPACE}:${k}`, config.get(k)])));
  return {
    raw,
    secrets: {
      isSecret: (key) => isConfigSecret(`${NAMESPACE}:${key}`),
      output: (path) => {
        const [key, ...rest] = keyPath(path);
        return rest.length === 0
          ? config.requireSecret(String(key))
          : config.requireSecretObject<unknown>(String(key)).apply((value) => String(valueAt(value, rest)));
      },
    },
  };
}

/**
 * Whether the engine marked a key secret. The SDK keeps this function internal; without it nothing
 * is known, and secret settings are still only ever used as Pulumi secrets.
 */
function isConfigSecret(fullKey: string): boolean | undefined {
  const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (key: string) => boolean };
  return typeof runtimeConfig.isConfigSecret === "function" ? runtimeConfig.isConfigSecret(fullKey) : undefined;
}

/** `s3guard:connector.outputs[2].url` -> `["connector", "outputs", 2, "url"]`. */
export function keyPath(path: string): (string | number)[] {
  const local = path.startsWith(`${NAMESPACE}:`) ? path.slice(NAMESPACE.length + 1) : path;
  return [...local.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((v, step) => (v as Record<string | number, unknown> | undefined)?.[step], value);
}
