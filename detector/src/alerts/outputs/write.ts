import { credentialSpellings, type OutputSpec } from "./model";
import { credentialsOf } from "./secrets";

/**
 * Outputs back in the file's shape (the inverse of read.ts), as the stack ships them to the
 * connector in S3GUARD_OUTPUTS. `secretEnv` names the environment variable a credential kept in a
 * secret reaches the container through; such a credential is written as `KEYEnv`.
 */
export function outputsFile(outputs: readonly OutputSpec[], secretEnv: (output: OutputSpec, key: string) => string = credentialEnvName): { outputs: Array<Record<string, unknown>> } {
  return {
    outputs: outputs.map((o) => {
      const item: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o)) {
        if (k === "filters") Object.assign(item, o.filters, o.filters.minimumPriority ? { minimumPriority: o.filters.minimumPriority.toLowerCase() } : {});
        else item[k] = v;
      }
      for (const [key, credential] of credentialsOf(o)) {
        const [plain, env] = credentialSpellings(key);
        delete item[plain];
        if ("value" in credential) item[plain] = credential.value;
        else item[env] = "env" in credential ? credential.env : secretEnv(o, key);
      }
      return item;
    }),
  };
}

/** `S3GUARD_OUTPUT_<NAME>_<KEY>`: e.g. S3GUARD_OUTPUT_STORAGE_TEAM_URL, S3GUARD_OUTPUT_ONCALL_ROUTING_KEY. */
export function credentialEnvName(output: Pick<OutputSpec, "name">, key: string): string {
  return `S3GUARD_OUTPUT_${output.name.toUpperCase().replace(/-/g, "_")}_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}
