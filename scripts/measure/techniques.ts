import { isStratusRecord, stratusDetonation, invictusRecords } from "./datasets";
import type { CloudTrailRecord, EvaluateAll } from "./types";

/**
 * The Stratus Red Team techniques about S3 or CloudTrail, where their real detonation records are
 * in the shared data, and the MITRE ATT&CK id a bundled rule must carry in its tags to count as
 * detecting them.
 */
export interface TechniqueSource {
  technique: string;
  /** The id the detecting rule's tags must name. */
  mitre: string;
  /** Where the records come from, as printed. */
  dataset: "stratus-red-team" | "invictus-ir";
  /** For Invictus-IR: the resource-name marker Stratus gives this technique's bucket or trail. */
  marker?: string;
  note?: string;
}

export const TECHNIQUE_SOURCES: readonly TechniqueSource[] = [
  { technique: "aws.defense-evasion.cloudtrail-stop", mitre: "T1562.008", dataset: "stratus-red-team" },
  { technique: "aws.defense-evasion.cloudtrail-delete", mitre: "T1562.008", dataset: "stratus-red-team" },
  { technique: "aws.defense-evasion.cloudtrail-event-selectors", mitre: "T1562.008", dataset: "stratus-red-team" },
  { technique: "aws.defense-evasion.cloudtrail-lifecycle-rule", mitre: "T1562.008", dataset: "invictus-ir", marker: "stratus-red-team-ctlr-" },
  {
    technique: "aws.exfiltration.s3-backdoor-bucket-policy",
    mitre: "T1537",
    dataset: "invictus-ir",
    marker: "stratus-red-team-bdbp-",
    note: "Stratus maps it to the Exfiltration tactic only; s3guard tags it T1537 (Transfer Data to Cloud Account)",
  },
  {
    technique: "aws.defense-evasion.cloudtrail-event-selectors",
    mitre: "T1562.008",
    dataset: "invictus-ir",
    marker: "stratus-red-team-ctes-",
  },
  {
    technique: "aws.defense-evasion.cloudtrail-stop",
    mitre: "T1562.008",
    dataset: "invictus-ir",
    marker: "stratus-red-team-ct-stop-",
    note: "in this simulation every StopLogging failed (TrailNotFoundException): nothing was stopped, and the rule fires on success only",
  },
  {
    technique: "aws.defense-evasion.cloudtrail-delete",
    mitre: "T1562.008",
    dataset: "invictus-ir",
    marker: "stratus-red-team-cloudtraild-",
    note: "in this simulation the DeleteTrail failed (TrailNotFoundException): nothing was deleted, and the rule fires on success only",
  },
];

/** Stratus Red Team's S3 techniques without detonation records in the shared data: covered by fixtures only. */
export const TECHNIQUES_WITHOUT_RECORDS: readonly { technique: string; mitre: string; rules: string }[] = [
  { technique: "aws.impact.s3-ransomware-batch-deletion", mitre: "T1485", rules: "S3 Objects Deleted in Batch, S3 Ransom Note Uploaded" },
  { technique: "aws.impact.s3-ransomware-client-side-encryption", mitre: "T1486", rules: "S3 Object Re-encrypted with Customer-Provided Key, S3 Ransom Note Uploaded" },
  { technique: "aws.impact.s3-ransomware-individual-deletion", mitre: "T1485", rules: "S3 Ransom Note Uploaded (the DeleteObject count is a threshold rule)" },
];

export interface TechniqueResult {
  source: TechniqueSource;
  records: number;
  /** Records that raised at least one alert. */
  alertedRecords: number;
  /** Rules that fired and name the technique's MITRE id in their tags. */
  detectingRules: string[];
  /** Other rules that fired on the technique's records. */
  otherRules: string[];
  detected: boolean;
}

/** The technique's records: a whole detonation log, or the Invictus-IR records of that detonation. */
export function techniqueRecords(source: TechniqueSource, dir: string, invictus: () => CloudTrailRecord[]): CloudTrailRecord[] {
  if (source.dataset === "stratus-red-team") return stratusDetonation(dir, source.technique);
  const marker = source.marker ?? "";
  return invictus().filter((r) => isStratusRecord(r) && JSON.stringify(r).includes(marker));
}

export function measureTechnique(source: TechniqueSource, records: readonly CloudTrailRecord[], evaluateAll: EvaluateAll): TechniqueResult {
  const fired = evaluateAll(records);
  const detecting = new Set<string>();
  const other = new Set<string>();
  for (const alerts of fired) {
    for (const a of alerts) (a.tags.includes(source.mitre) ? detecting : other).add(a.rule);
  }
  return {
    source,
    records: records.length,
    alertedRecords: fired.filter((alerts) => alerts.length > 0).length,
    detectingRules: [...detecting].sort(),
    otherRules: [...other].sort(),
    detected: detecting.size > 0,
  };
}

/** Measures every technique source; Invictus-IR is read once. */
export function measureTechniques(dir: string, evaluateAll: EvaluateAll): TechniqueResult[] {
  let cache: CloudTrailRecord[] | undefined;
  const invictus = () => (cache ??= invictusRecords(dir));
  return TECHNIQUE_SOURCES.map((s) => measureTechnique(s, techniqueRecords(s, dir, invictus), evaluateAll));
}
