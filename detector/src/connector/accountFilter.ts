import type { ObjectRecord } from "../ingest/logObject";

/**
 * Which accounts' records the connector evaluates (S3GUARD_ACCOUNT_IDS): an organization trail
 * records every member account, and a deployment may watch only some of them.
 */

/**
 * CloudTrail's keys name the account a log file is for: `[prefix/]AWSLogs/<account>/CloudTrail/...`,
 * or `AWSLogs/<o-org id>/<account>/...` for an organization trail.
 */
const LOG_KEY_ACCOUNT = /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]{10,32}\/)?(\d{12})\/CloudTrail(?:-Digest|-Insight)?\//;

/** The account a log file's key is for, or undefined when the key is not CloudTrail's own layout. */
export function logKeyAccount(key: string): string | undefined {
  return LOG_KEY_ACCOUNT.exec(key)?.[1];
}

/**
 * The records of the accounts kept, and how many others were dropped. A record without a
 * recipientAccountId is not of a kept account either.
 */
export function keepAccounts(records: readonly ObjectRecord[], accounts: ReadonlySet<string> | undefined): { kept: readonly ObjectRecord[]; dropped: number } {
  if (accounts === undefined) return { kept: records, dropped: 0 };
  const kept = records.filter((r) => {
    const account = r.record.recipientAccountId;
    return typeof account === "string" && accounts.has(account);
  });
  return { kept, dropped: records.length - kept.length };
}
