import type { OutputSpec } from "./model";
import { resolveOutputs, type ResolvedOutput } from "./secrets";

/**
 * Resolves every output's credentials, reading Secrets Manager only when some output names a
 * secret (the SDK client is loaded then, not before). Errors name the output and key.
 */
export async function resolveForUse(outputs: readonly OutputSpec[], env: Record<string, string | undefined>, base: string): Promise<{ resolved: ResolvedOutput[]; errors: string[] }> {
  const needsSecrets = JSON.stringify(outputs).includes('"secret":');
  const reader = needsSecrets ? (await import("./secretsManager")).secretsManagerReader(env) : undefined;
  try {
    return await resolveOutputs(outputs, { env, readSecret: reader?.read }, base);
  } finally {
    reader?.close();
  }
}
