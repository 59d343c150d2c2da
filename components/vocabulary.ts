/**
 * The words s3guard's settings are made of. Each is a closed set, so a typo is a type error in code
 * and a teaching error in stack YAML instead of a silently ignored string.
 */

/**
 * Which object-level S3 calls the trail records for a watched bucket.
 * - `read`: GetObject, HeadObject, ListObjects... (CloudTrail `readOnly = true`)
 * - `write`: PutObject, DeleteObject(s), CopyObject... (CloudTrail `readOnly = false`)
 * - `read-write`: both (no `readOnly` condition)
 */
export type Access = "read" | "write" | "read-write";

/** Access modes in the order their selectors are emitted. */
export const ACCESS_MODES: readonly Access[] = ["read-write", "read", "write"];

/**
 * Which management events (bucket ACL/policy/public-access changes, IAM, ...) the trail records.
 * - `all`: reads and writes
 * - `write`: only calls that change something (`readOnly = false`), far fewer events
 * - `none`: data events only, e.g. when an organization trail already records management events
 */
export type ManagementEvents = "all" | "write" | "none";

/** How public access to S3 is blocked; see PublicAccessGuard. */
export const PUBLIC_ACCESS_MODES = ["buckets", "account", "off"] as const;
export type PublicAccessMode = (typeof PUBLIC_ACCESS_MODES)[number];

/** Where the Cloud Connector delivers alerts (`S3GUARD_ALERTS`). */
export const ALERT_SINKS = ["stdout", "cloudwatch", "securityhub", "sns", "webhook"] as const;
export type AlertSink = (typeof ALERT_SINKS)[number];

/** Falco rule priorities, most severe first (`S3GUARD_MIN_PRIORITY`). */
export const PRIORITIES = [
  "emergency",
  "alert",
  "critical",
  "error",
  "warning",
  "notice",
  "informational",
  "debug",
] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Falco's rule matching: stop at the first matching rule, or alert for all of them. */
export const RULE_MATCHING = ["first", "all"] as const;
export type RuleMatching = (typeof RULE_MATCHING)[number];

/**
 * S3 Object Lock retention modes of the log bucket. `compliance`: nobody, root included, can shorten
 * the lock or delete a locked version; `governance`: principals with s3:BypassGovernanceRetention can.
 */
export const OBJECT_LOCK_MODES = ["compliance", "governance"] as const;
export type ObjectLockMode = (typeof OBJECT_LOCK_MODES)[number];
