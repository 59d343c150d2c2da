/** The themes of the bundled rules: each rule carries exactly one of these tags. */
export const THEMES = ["public_exposure", "access_control", "data_destruction", "exfiltration", "logging_tampering", "security_services"] as const;
export type Theme = (typeof THEMES)[number];

/** A MITRE ATT&CK tag: a tactic (`mitre_defense_evasion`) or a technique id (`T1562`, `T1562.008`). */
export function isMitreTag(tag: string): boolean {
  return /^mitre_[a-z_]+$/.test(tag) || isTechniqueId(tag);
}

export function isTechniqueId(tag: string): boolean {
  return /^T\d{4}(\.\d{3})?$/.test(tag);
}

export function themeOf(tags: readonly string[]): Theme | undefined {
  return THEMES.find((t) => tags.includes(t));
}
