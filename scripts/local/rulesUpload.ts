import { promises as fs } from "node:fs";
import * as path from "node:path";
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { LocalAws } from "./localAws";

/** Uploads a rules file, or a folder's own *.yaml/*.yml files (not its subfolders), under `prefix`. */
export async function uploadRules(aws: LocalAws, bucket: string, prefix: string, fileOrDir: string): Promise<string[]> {
  const isDir = (await fs.stat(fileOrDir)).isDirectory();
  const dir = isDir ? fileOrDir : path.dirname(fileOrDir);
  const names = isDir
    ? (await fs.readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name) && !e.name.startsWith(".")).map((e) => e.name)
    : [path.basename(fileOrDir)];
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
