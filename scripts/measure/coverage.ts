import * as fs from "node:fs";
import * as path from "node:path";
import type { RulesFile } from "s3guard";
import { DATASETS, sourceById, type Dataset } from "./catalog";
import { deliveredTwice, inTimeOrder, noticeOrHigher, runRules, warningOrHigher, type FiredAlert } from "./evaluate";
import { attackerRecords, readLabels, type Labels } from "./labels";
import { sourceDir, sourceStatus } from "./sources";
import type { CloudTrailRecord } from "./types";

/** One labelled attacker action and whether an alert of Notice or higher covered one of its records. */
export interface ActionOutcome {
  action: string;
  note: string;
  detected: boolean;
  /** Rules whose Notice+ alerts covered the action. */
  rules: string[];
}

/** A Warning+ alert on a record that is not the attacker's. */
export interface NoisyAlert {
  rule: string;
  priority: string;
  example: string;
}

export interface DatasetOutcome {
  dataset: Dataset;
  status: "measured" | "absent";
  /** Why it is absent: the folder to fetch it into. */
  absentReason?: string;
  records?: number;
  attackerRecords?: number;
  benignRecords?: number;
  actions?: ActionOutcome[];
  /** Warning+ alerts raised on benign records (suppressed repeats excluded). */
  noise?: NoisyAlert[];
  /** labelled eventIDs missing from the data (a label file out of step with its data set). */
  unknownEvents?: string[];
}

function idOf(r: CloudTrailRecord): string {
  return typeof r.eventID === "string" ? r.eventID : "";
}

function describe(r: CloudTrailRecord): string {
  const identity = (r.userIdentity ?? {}) as Record<string, unknown>;
  const who = typeof identity.type === "string" ? identity.type : "no identity";
  const agent = typeof r.userAgent === "string" ? r.userAgent.replace(/^\[/, "").split(/[ /]/)[0] : "";
  return `${String(r.eventName)}${r.errorCode ? ` (${String(r.errorCode)})` : ""} by ${who}${agent ? ` via ${agent}` : ""}`;
}

/**
 * Measures one data set's records: which labelled attacker actions an alert of Notice or higher
 * covered, and which Warning+ alerts fell on records that are not the attacker's.
 */
export async function measureRecords(dataset: Dataset, records: readonly CloudTrailRecord[], labels: Labels | undefined, files: readonly RulesFile[]): Promise<DatasetOutcome> {
  const isAttacker = labels ? attackerRecords(labels) : () => false;
  const byId = new Map(records.map((r) => [idOf(r), r] as const));
  const fed = deliveryOrder(dataset, records);
  const fired = await runRules(files, fed);

  const coveredBy = new Map<string, Set<string>>();
  for (const a of fired.filter(noticeOrHigher)) {
    for (const id of a.covers) coveredBy.set(id, (coveredBy.get(id) ?? new Set()).add(a.rule));
  }
  const actions = (labels?.actions ?? []).map((l) => {
    const rules = new Set(l.events.flatMap((id) => [...(coveredBy.get(id) ?? [])]));
    return { action: l.action, note: l.note, detected: rules.size > 0, rules: [...rules].sort() };
  });

  const noise = fired
    .filter((a: FiredAlert) => a.raised && warningOrHigher(a))
    .map((a) => ({ a, r: byId.get(a.eventId) }))
    .filter(({ r }) => r !== undefined && !isAttacker(r))
    .map(({ a, r }) => ({ rule: a.rule, priority: a.priority, example: describe(r as CloudTrailRecord) }));

  const attacker = records.filter((r) => isAttacker(r)).length;
  return {
    dataset,
    status: "measured",
    records: records.length,
    attackerRecords: attacker,
    benignRecords: records.length - attacker,
    actions,
    noise,
    unknownEvents: (labels?.actions ?? []).flatMap((l) => l.events).filter((id) => !byId.has(id)),
  };
}

/** The records as the data set feeds them: twice when delivered twice, in file order or by event time. */
export function deliveryOrder(dataset: Dataset, records: readonly CloudTrailRecord[]): CloudTrailRecord[] {
  const delivered = dataset.deliveredTwice ? deliveredTwice(records) : [...records];
  return dataset.asDelivered ? delivered : inTimeOrder(delivered);
}

/** Where a data set's files are: the shared data folder or its source's folder, if present. */
export function datasetDir(dataset: Dataset, shared: string | undefined, datasets: string): { dir?: string; reason?: string } {
  if ("shared" in dataset.from) {
    const dir = shared && path.join(shared, dataset.from.shared);
    return dir && fs.existsSync(dir) ? { dir: shared } : { reason: `not in the shared data (S3GUARD_SHARED_DATA)` };
  }
  const source = sourceById(dataset.from.source);
  const status = sourceStatus(datasets, source);
  if (status === "ok") return { dir: sourceDir(datasets, source) };
  return { reason: status === "absent" ? `not fetched (npm run datasets:fetch)` : `its files differ from the pinned digest (npm run datasets:fetch)` };
}

/** Measures every data set of the catalogue that is on this machine; the others are reported absent. */
export async function measureDatasets(files: readonly RulesFile[], shared: string | undefined, datasets: string, only?: (d: Dataset) => boolean): Promise<DatasetOutcome[]> {
  const out: DatasetOutcome[] = [];
  for (const dataset of DATASETS.filter(only ?? (() => true))) {
    const where = datasetDir(dataset, shared, datasets);
    if (!where.dir) {
      out.push({ dataset, status: "absent", absentReason: where.reason });
      continue;
    }
    const labels = dataset.labels ? readLabels(dataset.labels) : undefined;
    out.push(await measureRecords(dataset, dataset.read(where.dir), labels, files));
  }
  return out;
}

/** Warning+ alerts per 1,000 benign records (distinct records: a duplicated delivery is one record). */
export function noiseRate(o: DatasetOutcome): number | undefined {
  if (o.status !== "measured" || !o.benignRecords) return undefined;
  return (1000 * (o.noise?.length ?? 0)) / o.benignRecords;
}
