import { promises as fs } from "node:fs";
import * as path from "node:path";
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { LocalAws } from "./localAws";

/** Uploads rules files (a folder's own *.yaml/*.yml, or files given by name and content) under `prefix`. */
export async function uploadRulesFolder(aws: LocalAws, bucket: string, prefix: string, dir: string): Promise<string[]> {
  const names = (await fs.readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name) && !e.name.startsWith(".")).map((e) => e.name);
  for (const n of names) await putRulesFile(aws, bucket, prefix + n, await fs.readFile(path.join(dir, n), "utf8"));
  return names;
}

export async function putRulesFile(aws: LocalAws, bucket: string, key: string, content: string): Promise<void> {
  await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: content, ContentType: "application/yaml" }));
}

/** Replaces everything under `prefix` with exactly these files. */
export async function replaceRules(aws: LocalAws, bucket: string, prefix: string, files: Record<string, string>): Promise<void> {
  const listed = await aws.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  for (const o of listed.Contents ?? []) if (!(o.Key!.slice(prefix.length) in files)) await aws.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }));
  for (const [name, content] of Object.entries(files)) await putRulesFile(aws, bucket, prefix + name, content);
}
