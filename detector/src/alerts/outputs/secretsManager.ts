import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SecretReader } from "./secrets";

/**
 * Secrets Manager through the SDK's own region and credentials chain (AWS_ENDPOINT_URL honoured),
 * for outputs that name a `...Secret` where no container injects it. Loaded only when one does.
 */
export function secretsManagerReader(env: Record<string, string | undefined> = process.env): { read: SecretReader; close(): void } {
  let client: SecretsManagerClient | undefined;
  return {
    read: async (id) => {
      client ??= new SecretsManagerClient({ endpoint: env.AWS_ENDPOINT_URL_SECRETS_MANAGER || env.AWS_ENDPOINT_URL || undefined });
      const res = await client.send(new GetSecretValueCommand({ SecretId: id }));
      if (res.SecretString === undefined) throw new Error("the secret holds binary data, not a string");
      return res.SecretString;
    },
    close: () => client?.destroy(),
  };
}
