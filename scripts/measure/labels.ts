import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { actionById } from "./actions";
import type { CloudTrailRecord } from "./types";
import { repoRoot } from "../sharedData";

/**
 * Which records of a data set are the attacker's, and which of them are the attacker actions the
 * rules must catch. Label files reference records by eventID only, never copy them.
 *
 * ```yaml
 * dataset: cloud-bank-breach
 * attacker:
 *   how: the instance role's session used from a laptop          # how they were told apart
 *   match: {principalArn: "/i-0317f6c6b66ae9c40"}                 # optional, substring of a field
 *   events: [<eventID>, ...]                                      # optional
 * actions:
 *   - action: credential-access.instance-credentials-off-instance # an id of actions.ts
 *     note: ListBuckets, ListObjects and GetObject with the stolen keys
 *     events: [<eventID>, ...]
 * ```
 */
export interface LabelledAction {
  action: string;
  note: string;
  events: string[];
}

export interface Labels {
  dataset: string;
  how: string;
  /** Substrings: a record whose field contains one is the attacker's. `all` marks every record. */
  match: { all?: boolean; userAgent?: string; principalArn?: string };
  events: string[];
  actions: LabelledAction[];
}

export const LABELS_DIR = path.join(repoRoot(__dirname), "scripts", "measure", "labels");

function fail(file: string, what: string): never {
  throw new Error(`${file}: ${what}`);
}

function strings(file: string, where: string, v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) fail(file, `${where} must be a list of eventIDs`);
  return v as string[];
}

/** Parses and checks a label file's text; `file` names it in errors. */
export function parseLabels(file: string, text: string): Labels {
  const doc = parse(text) as Record<string, unknown> | undefined;
  if (!doc || typeof doc !== "object") fail(file, "expected a mapping with dataset, attacker and actions");
  const attacker = (doc.attacker ?? {}) as Record<string, unknown>;
  if (typeof doc.dataset !== "string") fail(file, "dataset: the data set id is missing");
  if (typeof attacker.how !== "string" || !attacker.how.trim()) fail(file, "attacker.how: say how the attacker's records were told apart");
  const match = (attacker.match ?? {}) as Labels["match"];
  const actions = ((doc.actions ?? []) as Record<string, unknown>[]).map((a, i) => {
    const where = `actions[${i}]`;
    if (typeof a.action !== "string" || !actionById(a.action)) fail(file, `${where}.action '${String(a.action)}' is not an attacker action of scripts/measure/actions.ts`);
    if (typeof a.note !== "string") fail(file, `${where}.note: say what the attacker did`);
    const events = strings(file, `${where}.events`, a.events);
    if (events.length === 0) fail(file, `${where}.events: list the eventIDs of the action's records`);
    return { action: a.action, note: a.note, events };
  });
  return { dataset: doc.dataset, how: attacker.how, match, events: strings(file, "attacker.events", attacker.events), actions };
}

export function readLabels(name: string, dir: string = LABELS_DIR): Labels {
  const file = path.join(dir, name);
  return parseLabels(path.relative(process.cwd(), file) || file, fs.readFileSync(file, "utf8"));
}

function field(record: CloudTrailRecord, name: "userAgent" | "principalArn"): string {
  if (name === "userAgent") return typeof record.userAgent === "string" ? record.userAgent : "";
  const identity = (record.userIdentity ?? {}) as Record<string, unknown>;
  return typeof identity.arn === "string" ? identity.arn : "";
}

/** A predicate telling the attacker's records from the others. */
export function attackerRecords(labels: Labels): (record: CloudTrailRecord) => boolean {
  const listed = new Set([...labels.events, ...labels.actions.flatMap((a) => a.events)]);
  const m = labels.match;
  return (record) =>
    m.all === true ||
    (typeof record.eventID === "string" && listed.has(record.eventID)) ||
    (m.userAgent !== undefined && field(record, "userAgent").includes(m.userAgent)) ||
    (m.principalArn !== undefined && field(record, "principalArn").includes(m.principalArn));
}
