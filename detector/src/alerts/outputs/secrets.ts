import { registerSecret } from "../../redact";
import { credentialSpellings, type Credential, type OutputSpec } from "./model";
import { urlProblem } from "./urls";

/** Reads a Secrets Manager secret's string by name or ARN. */
export type SecretReader = (id: string) => Promise<string>;

export interface CredentialSources {
  env: Record<string, string | undefined>;
  /** Absent where no secret may be read (a problem is reported for any `...Secret` key). */
  readSecret?: SecretReader;
}

/** An output with its credentials' values, ready to build a destination from. */
export interface ResolvedOutput {
  spec: OutputSpec;
  /** Credential key (`url`, `routingKey`, `apiKey`) to its value. */
  credentials: Record<string, string>;
}

/**
 * Fetches every output's credentials, reporting each one that cannot be had, and registers every
 * value with the log redaction before anything can log it.
 */
export async function resolveOutputs(outputs: readonly OutputSpec[], sources: CredentialSources, base: string): Promise<{ resolved: ResolvedOutput[]; errors: string[] }> {
  const resolved: ResolvedOutput[] = [];
  const errors: string[] = [];
  for (const [i, spec] of outputs.entries()) {
    const credentials: Record<string, string> = {};
    for (const [key, credential] of credentialsOf(spec)) {
      const [, envKey, secretKey] = credentialSpellings(key);
      const at = `${base}[${i}] (${spec.name}).${"env" in credential ? envKey : "secret" in credential ? secretKey : key}`;
      try {
        const value = await credentialValue(credential, sources);
        registerSecret(value);
        if (key === "url" && !("value" in credential)) {
          const bad = urlProblem(value);
          if (bad) throw new Error(`its value is ${bad.reason}: store the full https:// URL to post to`);
        }
        credentials[key] = value;
      } catch (e) {
        errors.push(`${at}: ${(e as Error).message}`);
      }
    }
    if (Object.keys(credentials).length === credentialsOf(spec).length) resolved.push({ spec, credentials });
  }
  return { resolved, errors };
}

/** The credentials an output holds, by key. */
export function credentialsOf(spec: OutputSpec): Array<[string, Credential]> {
  switch (spec.type) {
    case "slack":
    case "teams":
    case "webhook":
      return [["url", spec.url]];
    case "pagerduty":
      return [["routingKey", spec.routingKey]];
    case "opsgenie":
      return [["apiKey", spec.apiKey]];
    default:
      return [];
  }
}

async function credentialValue(c: Credential, sources: CredentialSources): Promise<string> {
  if ("value" in c) return c.value;
  if ("env" in c) {
    const v = sources.env[c.env];
    if (v === undefined || v.trim() === "") throw new Error(`the environment variable ${c.env} is not set (or empty)`);
    return v.trim();
  }
  if (!sources.readSecret) throw new Error(`secrets cannot be read here: give the value through an environment variable instead`);
  let v: string;
  try {
    v = await sources.readSecret(c.secret);
  } catch (e) {
    const err = e as Error;
    throw new Error(`could not read the secret '${c.secret}' from Secrets Manager (${err.name}: ${err.message}); check its name or ARN, the region, and secretsmanager:GetSecretValue permission`);
  }
  if (v.trim() === "") throw new Error(`the secret '${c.secret}' is empty`);
  return v.trim();
}
