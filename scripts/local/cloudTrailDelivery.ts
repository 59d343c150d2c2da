import { promises as fs } from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { PublishCommand } from "@aws-sdk/client-sns";
import type { LocalAws } from "./localAws";
import type { Pipeline } from "./pipelineResources";

/** Where CloudTrail writes a log file: AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/<file>. */
export function cloudTrailKey(account: string, region: string, when: Date, unique: string): string {
  const d = when.toISOString();
  const stamp = `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}T${d.slice(11, 13)}${d.slice(14, 16)}Z`;
  return `AWSLogs/${account}/CloudTrail/${region}/${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/${account}_CloudTrail_${region}_${stamp}_${unique}.json.gz`;
}

/** Puts a log object in the log bucket, as CloudTrail does (gzip JSON unless given raw bytes). */
export async function putLogObject(aws: LocalAws, pipeline: Pipeline, key: string, content: { records: unknown[] } | { bytes: Uint8Array }): Promise<void> {
  const body = "bytes" in content ? content.bytes : gzipSync(JSON.stringify({ Records: content.records }));
  await aws.s3.send(new PutObjectCommand({ Bucket: pipeline.logBucket, Key: key, Body: body }));
}

/** CloudTrail's SNS delivery notification for some log objects. */
export async function notifyDelivery(aws: LocalAws, pipeline: Pipeline, keys: string[]): Promise<void> {
  await aws.sns.send(new PublishCommand({ TopicArn: pipeline.topicArn, Message: JSON.stringify({ s3Bucket: pipeline.logBucket, s3ObjectKey: keys }) }));
}

export async function deliverLogFile(aws: LocalAws, pipeline: Pipeline, key: string, content: { records: unknown[] } | { bytes: Uint8Array }): Promise<void> {
  await putLogObject(aws, pipeline, key, content);
  await notifyDelivery(aws, pipeline, [key]);
}

/** Files of a folder, recursively, in name order (hidden ones skipped). */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** A file's bytes as CloudTrail would store them: gzip, compressing plain files. */
export async function asLogObjectBytes(file: string): Promise<Uint8Array> {
  const bytes = await fs.readFile(file);
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? bytes : gzipSync(bytes);
}
