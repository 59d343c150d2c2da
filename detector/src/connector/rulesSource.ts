import { createHash } from "node:crypto";
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { formatSize, RULES_LIMITS, type RulesFile } from "../engine";
import { readRulesFiles } from "../cli/rulesFiles";

/** A set of rules files and the version that names it: a hash of names and contents. */
export interface RulesSnapshot {
  version: string;
  origin: string;
  files: RulesFile[];
}

/** Where rules come from. `fingerprint` is cheap and changes whenever the files may have. */
export interface RulesSource {
  readonly origin: string;
  /** Rules from outside the image (a bucket): loaded in isolation first, never trusted to be sane. */
  readonly external?: boolean;
  fingerprint(): Promise<string>;
  read(): Promise<RulesSnapshot>;
}

export function rulesVersion(files: readonly RulesFile[]): string {
  const h = createHash("sha256");
  for (const f of files) h.update(f.name).update("\0").update(f.content).update("\0");
  return h.digest("hex").slice(0, 12);
}

function isRulesFileName(name: string): boolean {
  return /\.ya?ml$/i.test(name) && !name.startsWith(".");
}

/**
 * `s3://bucket/prefix`: the `*.yaml`/`*.yml` objects directly under the prefix, in key order, as
 * `s3guard scan --rules FOLDER` reads a folder (so `rules/tests/` fixtures are never loaded).
 */
export class S3RulesSource implements RulesSource {
  readonly origin: string;
  readonly external = true;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {
    this.origin = `s3://${bucket}/${prefix}`;
  }

  private async list(): Promise<Array<{ key: string; etag: string; size: number }>> {
    const out: Array<{ key: string; etag: string; size: number }> = [];
    let token: string | undefined;
    do {
      const res = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: token }));
      for (const o of res.Contents ?? []) {
        const rest = (o.Key ?? "").slice(this.prefix.length);
        if (o.Key && !rest.includes("/") && isRulesFileName(rest)) out.push({ key: o.Key, etag: o.ETag ?? "", size: o.Size ?? 0 });
      }
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async fingerprint(): Promise<string> {
    return (await this.list()).map((o) => `${o.key}@${o.etag}`).join("\n");
  }

  async read(): Promise<RulesSnapshot> {
    const listed = await this.list();
    if (listed.length === 0) throw new Error(`${this.origin} holds no .yaml or .yml rules file: upload the rules (pulumi up syncs rules/) or fix S3GUARD_RULES_BUCKET/S3GUARD_RULES_PREFIX`);
    // Sizes are checked from the listing, before anything is downloaded.
    if (listed.length > RULES_LIMITS.files) throw new Error(`${this.origin} holds ${listed.length} rules files, more than the ${RULES_LIMITS.files} loaded at once; merge them`);
    let total = 0;
    for (const o of listed) {
      if (o.size > RULES_LIMITS.fileBytes) throw new Error(`s3://${this.bucket}/${o.key} is ${formatSize(o.size)}, more than a rules file may be (${formatSize(RULES_LIMITS.fileBytes)}); split it into several files`);
      total += o.size;
    }
    if (total > RULES_LIMITS.totalBytes) throw new Error(`the rules in ${this.origin} are ${formatSize(total)} in all, more than the ${formatSize(RULES_LIMITS.totalBytes)} loaded at once`);
    const files: RulesFile[] = [];
    for (const o of listed) {
      const res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: o.key }));
      files.push({ name: `s3://${this.bucket}/${o.key}`, content: (await res.Body?.transformToString("utf-8")) ?? "" });
    }
    return { version: rulesVersion(files), origin: this.origin, files };
  }
}

/** The rules in the image (S3GUARD_BUNDLED_RULES, or the repository's rules/). */
export class FolderRulesSource implements RulesSource {
  constructor(readonly origin: string) {}

  async fingerprint(): Promise<string> {
    return rulesVersion(await readRulesFiles([this.origin]));
  }

  async read(): Promise<RulesSnapshot> {
    const files = await readRulesFiles([this.origin]);
    return { version: rulesVersion(files), origin: this.origin, files };
  }
}
