/**
 * MITRE ATT&CK tags of a rule -> Security Hub finding types ("namespace/category/classifier").
 * ASFF's TTPs namespace has the enterprise tactics as categories; exfiltration and impact are
 * effects in ASFF, so they map to the Effects namespace.
 */
const TACTIC_TYPES: Record<string, string> = {
  initial_access: "TTPs/Initial Access",
  execution: "TTPs/Execution",
  persistence: "TTPs/Persistence",
  privilege_escalation: "TTPs/Privilege Escalation",
  defense_evasion: "TTPs/Defense Evasion",
  credential_access: "TTPs/Credential Access",
  discovery: "TTPs/Discovery",
  lateral_movement: "TTPs/Lateral Movement",
  collection: "TTPs/Collection",
  command_and_control: "TTPs/Command and Control",
  exfiltration: "Effects/Data Exfiltration",
  impact: "Effects/Data Destruction",
};

/** Techniques seen in cloud and S3 detections, by the tactic they serve first. */
const TECHNIQUE_TACTIC: Record<string, keyof typeof TACTIC_TYPES> = {
  T1078: "initial_access",
  T1190: "initial_access",
  T1648: "execution",
  T1651: "execution",
  T1098: "persistence",
  T1136: "persistence",
  T1484: "privilege_escalation",
  T1562: "defense_evasion",
  T1070: "defense_evasion",
  T1578: "defense_evasion",
  T1535: "defense_evasion",
  T1110: "credential_access",
  T1552: "credential_access",
  T1556: "credential_access",
  T1621: "credential_access",
  T1087: "discovery",
  T1069: "discovery",
  T1526: "discovery",
  T1538: "discovery",
  T1580: "discovery",
  T1619: "discovery",
  T1530: "collection",
  T1213: "collection",
  T1048: "exfiltration",
  T1537: "exfiltration",
  T1567: "exfiltration",
  T1485: "impact",
  T1486: "impact",
  T1490: "impact",
  T1531: "impact",
  T1496: "impact",
};

const IMPACT_EFFECTS: Record<string, string> = { T1496: "Effects/Resource Consumption" };

export const DEFAULT_FINDING_TYPE = "Unusual Behaviors/Application";

/** Finding types for a rule's tags; the default when no tag names a known tactic or technique. */
export function findingTypes(tags: readonly string[]): string[] {
  const types = new Set<string>();
  for (const tag of tags) {
    const tactic = /^mitre_(\w+)$/i.exec(tag);
    if (tactic && TACTIC_TYPES[tactic[1].toLowerCase()]) types.add(TACTIC_TYPES[tactic[1].toLowerCase()]);
    const technique = /^(T\d{4})(\.\d{3})?$/i.exec(tag);
    if (technique) {
      const id = technique[1].toUpperCase();
      const t = TECHNIQUE_TACTIC[id];
      if (t) types.add(`${IMPACT_EFFECTS[id] ?? TACTIC_TYPES[t]}/${tag.toUpperCase()}`);
    }
  }
  // A technique's path says more than its tactic alone: keep the tactic only when no technique refines it.
  const list = [...types].filter((t) => ![...types].some((o) => o !== t && o.startsWith(t + "/")));
  return list.length ? list.slice(0, 50) : [DEFAULT_FINDING_TYPE];
}
