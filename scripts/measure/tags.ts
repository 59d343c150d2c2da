/**
 * The attack stages the bundled rules are grouped by: each rule carries exactly one of these tags,
 * and lives in the rules file of its stage.
 */
export const STAGE_TAGS = ["discovery", "initial_access", "credential_access", "privilege_escalation", "persistence", "defense_evasion", "exfiltration", "impact"] as const;
export type StageTag = (typeof STAGE_TAGS)[number];

/** A MITRE ATT&CK tag: a tactic (`mitre_defense_evasion`) or a technique id (`T1562`, `T1562.008`). */
export function isMitreTag(tag: string): boolean {
  return /^mitre_[a-z_]+$/.test(tag) || isTechniqueId(tag);
}

export function isTechniqueId(tag: string): boolean {
  return /^T\d{4}(\.\d{3})?$/.test(tag);
}

export function stageOf(tags: readonly string[]): StageTag | undefined {
  return STAGE_TAGS.find((t) => tags.includes(t));
}

