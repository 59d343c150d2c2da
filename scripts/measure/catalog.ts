import * as fs from "node:fs";
import * as path from "node:path";
import { filesUnder, readJsonFiles, readZippedJsonLines } from "./readers";
import type { Source } from "./sources";
import type { CloudTrailRecord } from "./types";

/**
 * The public CloudTrail data sets `npm run coverage:rules` measures the rules on, and where each
 * comes from. docs/datasets.md says the same for people; keep both in step.
 *
 * The split is fixed here, before any rule was written against it: rules are written and tuned on
 * the development sets (and the shared data), and the held-out sets are only measured and reported.
 */

export const SOURCES: readonly Source[] = [
  {
    id: "otrf-security-datasets",
    repo: "OTRF/Security-Datasets",
    commit: "d9d40ef123d2c87d5d3df28c96bcab4f0faccc87",
    licence: "MIT",
    select: { paths: ["datasets/atomic/aws/collection/ec2_proxy_s3_exfiltration.zip"] },
    digest: "9e03798cb336b43ba4a38d465fc0e6cf5ab4aa3ab7ed3b4afcb9ee60b851f2e7",
    about: "AWS Cloud Bank Breach S3 (SDAWS-200914011940): an EC2 reverse proxy abused to steal the instance role's keys, which then list and download a bucket from a laptop",
  },
  {
    id: "traildiscover",
    repo: "adanalvarez/TrailDiscover",
    commit: "f96cbdb0591f78d16b1948e84c211becce6258e6",
    licence: "CC-BY-4.0",
    select: { under: "events/", endsWith: ".json.cloudtrail" },
    digest: "b06802318d4028bfec6525e4d9db727adfdadd834cdd5807a8a11382b4ef316b",
    about: "a catalogue of CloudTrail API calls attackers use, most seen in real incidents, each with the records of a simulation (many denied)",
  },
  {
    id: "cloud-console-cartographer",
    repo: "Permiso-io-tools/CloudConsoleCartographer",
    commit: "10156353fc3f693781bbfb93b923544ac2897deb",
    licence: "Apache-2.0",
    select: { under: "Tests/Sessions/", endsWith: "/InputEvents.json" },
    digest: "a8825f62fe24d1b8b8081c64cbc55a170ba6df68dbfbb21546932bf1d1dd5a67",
    about: "32 real AWS console sessions (the records a browser session emits: EC2, IAM, S3, CloudTrail pages), reduced by the authors to event name, source, parameters, response, error and user agent",
  },
];

export type Split = "dev" | "heldout";

export interface Dataset {
  id: string;
  title: string;
  split: Split;
  /** The shared data sets (S3GUARD_SHARED_DATA) or a fetched source (S3GUARD_DATASETS). */
  from: { shared: string } | { source: string };
  /** Attack, benign, or both (the label file tells which records are the attacker's). */
  kind: "attack" | "benign" | "mixed";
  /** Label file under scripts/measure/labels, for attack and mixed sets. */
  labels?: string;
  /** Every record delivered twice, as by two trails or a redelivered notification. */
  deliveredTwice?: boolean;
  /**
   * Records fed in the order their files hold them, as `scan` reads a folder and the connector reads
   * notifications, instead of sorted by event time: trail files overlap in time and the records of
   * one file are not sorted, so windows and sequences must take records that arrive late.
   */
  asDelivered?: boolean;
  /** The records, read from the shared data folder or the source's folder. */
  read(dir: string): CloudTrailRecord[];
}

function stratus(dir: string): CloudTrailRecord[] {
  const folder = path.join(dir, "stratus-red-team", "raw", "docs", "detonation-logs");
  return readJsonFiles(filesUnder(folder, (f) => f.endsWith(".json")));
}

function invictus(dir: string): CloudTrailRecord[] {
  return readJsonFiles(filesUnder(path.join(dir, "invictus-ir-aws-dataset", "raw", "CloudTrail"), (f) => f.endsWith(".json")));
}

/** Console sessions are split by the first hex digit of their folder name (a hash): 0-7 and 8-f. */
function consoleSessions(half: "0-7" | "8-f"): (dir: string) => CloudTrailRecord[] {
  return (dir) => {
    const sessions = path.join(dir, "Tests", "Sessions");
    const names = fs.readdirSync(sessions).filter((n) => (parseInt(n[0], 16) < 8) === (half === "0-7"));
    return readJsonFiles(names.sort().map((n) => path.join(sessions, n, "InputEvents.json")));
  };
}

/** Security-Datasets exported the records through Logstash, which moved eventTime to @timestamp. */
function cloudBankBreach(dir: string): CloudTrailRecord[] {
  return readZippedJsonLines(path.join(dir, "datasets", "atomic", "aws", "collection", "ec2_proxy_s3_exfiltration.zip")).map(withEventTime);
}

export function withEventTime(r: CloudTrailRecord): CloudTrailRecord {
  return r.eventTime === undefined && typeof r["@timestamp"] === "string" ? { ...r, eventTime: r["@timestamp"] } : r;
}

function trailDiscover(dir: string): CloudTrailRecord[] {
  return readJsonFiles(filesUnder(path.join(dir, "events"), (f) => f.endsWith(".json.cloudtrail")));
}

export const DATASETS: readonly Dataset[] = [
  { id: "stratus-detonations", title: "Stratus Red Team detonation logs", split: "dev", from: { shared: "stratus-red-team" }, kind: "attack", labels: "stratus-detonations.yaml", read: stratus },
  { id: "invictus-ir", title: "Invictus-IR attack simulation account", split: "dev", from: { shared: "invictus-ir-aws-dataset" }, kind: "mixed", labels: "invictus-ir.yaml", read: invictus },
  { id: "invictus-ir-twice", title: "Invictus-IR, every record delivered twice", split: "dev", from: { shared: "invictus-ir-aws-dataset" }, kind: "mixed", labels: "invictus-ir.yaml", deliveredTwice: true, read: invictus },
  { id: "invictus-ir-as-delivered", title: "Invictus-IR, records in file order", split: "dev", from: { shared: "invictus-ir-aws-dataset" }, kind: "mixed", labels: "invictus-ir.yaml", asDelivered: true, read: invictus },
  { id: "console-sessions-dev", title: "Console sessions (folders 0-7)", split: "dev", from: { source: "cloud-console-cartographer" }, kind: "benign", read: consoleSessions("0-7") },
  { id: "console-sessions-heldout", title: "Console sessions (folders 8-f)", split: "heldout", from: { source: "cloud-console-cartographer" }, kind: "benign", read: consoleSessions("8-f") },
  { id: "cloud-bank-breach", title: "Stolen EC2 instance credentials (OTRF Cloud Bank Breach)", split: "heldout", from: { source: "otrf-security-datasets" }, kind: "mixed", labels: "cloud-bank-breach.yaml", read: cloudBankBreach },
  { id: "cloud-bank-breach-twice", title: "Stolen EC2 instance credentials, delivered twice", split: "heldout", from: { source: "otrf-security-datasets" }, kind: "mixed", labels: "cloud-bank-breach.yaml", deliveredTwice: true, read: cloudBankBreach },
  { id: "cloud-bank-breach-as-delivered", title: "Stolen EC2 instance credentials, records in file order", split: "heldout", from: { source: "otrf-security-datasets" }, kind: "mixed", labels: "cloud-bank-breach.yaml", asDelivered: true, read: cloudBankBreach },
  { id: "traildiscover", title: "TrailDiscover catalogue of attacker calls", split: "heldout", from: { source: "traildiscover" }, kind: "attack", labels: "traildiscover.yaml", read: trailDiscover },
];

/** A variant feeds another data set's records differently; its attacker actions are the original's. */
export function isVariant(d: Dataset): boolean {
  return d.deliveredTwice === true || d.asDelivered === true;
}

export function sourceById(id: string): Source {
  const s = SOURCES.find((x) => x.id === id);
  if (!s) throw new Error(`no data set source '${id}'`);
  return s;
}
