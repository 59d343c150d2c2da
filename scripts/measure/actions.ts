/**
 * The attacker actions a rule library watching S3 data must catch: the chain that ends at the data,
 * stage by stage. Label files name one of these for every attacker action they mark in a data set,
 * and `npm run coverage:rules` counts an action detected when an alert of priority Notice or higher
 * is raised on one of its records.
 */
export const STAGES = ["discovery", "privilege_escalation", "persistence", "credential_access", "defense_evasion", "initial_access", "exfiltration", "impact"] as const;
export type Stage = (typeof STAGES)[number];

export interface AttackerAction {
  id: string;
  stage: Stage;
  what: string;
}

export const ACTIONS: readonly AttackerAction[] = [
  { id: "discovery.fresh-key-recon", stage: "discovery", what: "a key's first calls: GetCallerIdentity, then ListBuckets, then bucket configuration reads" },
  { id: "discovery.denied-enumeration", stage: "discovery", what: "one key denied across several services within minutes" },
  { id: "privilege-escalation.inline-admin-policy", stage: "privilege_escalation", what: "an inline policy granting Action * on Resource * (on the caller itself or another principal)" },
  { id: "privilege-escalation.admin-policy-attached", stage: "privilege_escalation", what: "AdministratorAccess (or another full-access managed policy) attached" },
  { id: "privilege-escalation.policy-version-default", stage: "privilege_escalation", what: "a policy version created with setAsDefault" },
  { id: "persistence.access-key-created", stage: "persistence", what: "CreateAccessKey for another user, for root, or for itself then used from elsewhere" },
  { id: "persistence.login-profile-created", stage: "persistence", what: "CreateLoginProfile (console password) for another user" },
  { id: "persistence.backdoor-user", stage: "persistence", what: "a new IAM user given keys or administrator rights" },
  { id: "persistence.role-trust-opened", stage: "persistence", what: "a role trust policy opened to a foreign account or everyone" },
  { id: "credential-access.instance-credentials-off-instance", stage: "credential_access", what: "EC2 instance-role credentials used outside the instance" },
  { id: "defense-evasion.logging-stopped", stage: "defense_evasion", what: "StopLogging, attempted or done" },
  { id: "defense-evasion.trail-deleted", stage: "defense_evasion", what: "DeleteTrail, attempted or done" },
  { id: "defense-evasion.trail-weakened", stage: "defense_evasion", what: "event selectors narrowed, a trail updated to record less, its bucket set to expire the logs" },
  { id: "defense-evasion.detector-deleted", stage: "defense_evasion", what: "GuardDuty detector deleted or disabled, attempted or done" },
  { id: "defense-evasion.config-stopped", stage: "defense_evasion", what: "AWS Config recorder stopped or deleted, attempted or done" },
  { id: "defense-evasion.key-policy-opened", stage: "defense_evasion", what: "a KMS key policy opened to another account or everyone" },
  { id: "initial-access.console-without-mfa", stage: "initial_access", what: "console sign-in without MFA (by root above all)" },
  { id: "exfiltration.bulk-read", stage: "exfiltration", what: "many objects read by one principal, or reads by stolen credentials" },
  { id: "exfiltration.foreign-account-grant", stage: "exfiltration", what: "replication, bucket policy or key policy toward a foreign account" },
  { id: "exfiltration.public-grant", stage: "exfiltration", what: "a bucket or object made public" },
  { id: "impact.mass-deletion", stage: "impact", what: "mass deletion of objects or object versions" },
  { id: "impact.recovery-disabled", stage: "impact", what: "versioning suspended, lifecycle expiry of everything, then deletions" },
  { id: "impact.sse-c-reencryption", stage: "impact", what: "objects re-encrypted with a customer-provided key (SSE-C)" },
  { id: "impact.key-destroyed", stage: "impact", what: "a KMS key scheduled for deletion, disabled, or its policy taken over" },
  { id: "impact.ransom-note", stage: "impact", what: "a ransom note uploaded" },
];

export function actionById(id: string): AttackerAction | undefined {
  return ACTIONS.find((a) => a.id === id);
}
