import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import type { ReadRole } from "./config";

/** Temporary credentials, shaped as the SDK clients take them. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Credentials are renewed this long before they expire, so no request is signed with expiring ones. */
const RENEW_BEFORE_MS = 5 * 60_000;
/** One hour: the longest every role allows (a role's maximum session duration is at least this). */
const SESSION_SECONDS = 3600;

/** Names the sessions in the log archive account's CloudTrail, so its own reads are recognisable. */
export const SESSION_NAME = "s3guard-connector";

/**
 * A credentials provider for S3 clients: the role's credentials from STS AssumeRole (with the role's
 * external id when it asks for one), kept until shortly before they expire. Concurrent callers
 * share one AssumeRole call. A refusal says what to check, since it is usually a trust policy.
 */
export function assumedRoleCredentials(sts: STSClient, role: Pick<ReadRole, "arn" | "externalId">, now: () => number = Date.now): () => Promise<TemporaryCredentials> {
  let current: TemporaryCredentials | undefined;
  let pending: Promise<TemporaryCredentials> | undefined;
  const fresh = (c: TemporaryCredentials | undefined): c is TemporaryCredentials =>
    c !== undefined && (c.expiration === undefined || c.expiration.getTime() - RENEW_BEFORE_MS > now());
  const assume = async (): Promise<TemporaryCredentials> => {
    try {
      const res = await sts.send(
        new AssumeRoleCommand({
          RoleArn: role.arn,
          RoleSessionName: SESSION_NAME,
          DurationSeconds: SESSION_SECONDS,
          ...(role.externalId !== undefined ? { ExternalId: role.externalId } : {}),
        }),
      );
      const c = res.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error("STS answered without credentials");
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    } catch (e) {
      const err = e as { name?: string; message?: string };
      throw new Error(
        `cannot assume ${role.arn} (${err.name ?? "error"}: ${err.message ?? String(e)}): the task role needs sts:AssumeRole on it, and the role's trust policy must admit the task role` +
          (role.externalId !== undefined ? " with the external id in S3GUARD_READ_ROLE_EXTERNAL_ID" : " (set S3GUARD_READ_ROLE_EXTERNAL_ID if it asks for an external id)"),
      );
    }
  };
  return async () => {
    if (fresh(current)) return current;
    pending ??= assume().finally(() => (pending = undefined));
    current = await pending;
    return current;
  };
}
