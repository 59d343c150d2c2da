/**
 * The thirty detections of shared/spec/detections.md (D1-D30) and the bundled rules that make
 * each one, or why none does. Printed in docs/rules.md; a test checks every rule named exists.
 */
export interface DetectionCoverage {
  id: string;
  detection: string;
  rules: readonly string[];
  /** Why no bundled rule makes it, when none does. */
  gap?: string;
}

export const DETECTIONS: readonly DetectionCoverage[] = [
  { id: "D1", detection: "Logging stopped", rules: ["CloudTrail Logging Stopped"] },
  { id: "D2", detection: "Trail deleted", rules: ["CloudTrail Trail Deleted"] },
  { id: "D3", detection: "Trail weakened via update", rules: ["CloudTrail Trail Weakened"] },
  { id: "D4", detection: "Event selectors narrowed", rules: ["CloudTrail Event Selectors Narrowed"] },
  { id: "D5", detection: "New (shadow) trail", rules: [], gap: "low value alone; Falco's own pack has \"CloudTrail Trail Created\", which loads beside the bundled rules" },
  { id: "D6", detection: "Trail bucket set to self-delete", rules: ["CloudTrail Log Bucket Policy or Lifecycle Changed", "S3 Lifecycle Rule Expires Objects Quickly"] },
  { id: "D7", detection: "Trail dependencies broken (KMS key, bucket policy)", rules: ["KMS Key Disabled or Scheduled for Deletion", "CloudTrail Log Bucket Policy or Lifecycle Changed"] },
  { id: "D8", detection: "Bucket ACL made public", rules: ["S3 Bucket ACL Grants Public Access"] },
  { id: "D9", detection: "Object ACL made public", rules: ["S3 Object ACL Grants Public Access"] },
  { id: "D10", detection: "Bucket policy made public or cross-account", rules: ["S3 Bucket Policy Grants Public Access", "S3 Bucket Policy Grants Access to Another Account"] },
  { id: "D11", detection: "Bucket policy deleted", rules: ["S3 Bucket Policy Deleted"] },
  { id: "D12", detection: "Bucket Block Public Access weakened", rules: ["S3 Bucket Public Access Block Weakened"] },
  { id: "D13", detection: "Bucket Block Public Access removed", rules: ["S3 Bucket Public Access Block Removed"] },
  { id: "D14", detection: "Account Block Public Access weakened or removed", rules: ["S3 Account Public Access Block Removed or Weakened"] },
  { id: "D15", detection: "ACLs re-enabled (BucketOwnerEnforced undone)", rules: ["S3 Object Ownership Allows ACLs Again"] },
  { id: "D16", detection: "Website hosting / CORS opened", rules: ["S3 Bucket Website Hosting Enabled", "S3 Bucket CORS Allows Any Origin"] },
  { id: "D17", detection: "Default encryption removed", rules: ["S3 Default Encryption Removed", "S3 Default Encryption Uses Another Account's Key"] },
  { id: "D18", detection: "Versioning suspended / MFA delete off", rules: ["S3 Bucket Versioning Suspended", "S3 Bucket MFA Delete Disabled"] },
  { id: "D19", detection: "Server access logging disabled", rules: ["S3 Server Access Logging Disabled"] },
  { id: "D20", detection: "Replication to another account / removed", rules: ["S3 Bucket Replication to Another Account", "S3 Bucket Replication Removed"] },
  { id: "D21", detection: "Lifecycle set to mass-expire data", rules: ["S3 Lifecycle Rule Expires Objects Quickly"] },
  { id: "D22", detection: "Bucket deleted", rules: ["S3 Bucket Deleted"] },
  { id: "D23", detection: "Mass single-object deletion", rules: ["S3 Mass Object Deletion"] },
  { id: "D24", detection: "Batch deletion", rules: ["S3 Objects Deleted in Batch", "S3 Versions Listed then Batch-Deleted"] },
  { id: "D25", detection: "Encrypt in place with an SSE-C key", rules: ["S3 Object Re-encrypted with Customer-Provided Key", "S3 Mass Re-encryption with Customer-Provided Key"] },
  { id: "D26", detection: "Copy to another account / foreign KMS key", rules: ["S3 Object Copied Across Accounts", "S3 Default Encryption Uses Another Account's Key"] },
  { id: "D27", detection: "Ransom note dropped", rules: ["S3 Ransom Note Uploaded", "S3 Ransom Note after Destruction"] },
  { id: "D28", detection: "Bulk / large reads", rules: ["S3 Bulk Download"] },
  { id: "D29", detection: "Bucket enumeration (ListBuckets)", rules: [], gap: "every client lists buckets; only a baseline or a count can tell (Falco ships it disabled)" },
  { id: "D30", detection: "S3 API from Tor / known-bad IP", rules: ["S3 Access from Untrusted Network", "S3 Data Access from Unexpected Network"] },
];
