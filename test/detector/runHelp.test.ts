import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO, s3guard } from "../support/cli";

/** Every environment variable the connector reads is in `s3guard run --help` and docs/connector.md. */

const SOURCES = ["detector/src/connector", "detector/src/state", "detector/src/alerts", "detector/src/ingest", "detector/src/cli/run.ts", "detector/src/cli/host.ts", "detector/src/cli/rulesFiles.ts"];

function filesUnder(p: string): string[] {
  const full = path.join(REPO, p);
  if (p.endsWith(".ts")) return [full];
  return readdirSync(full, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => path.join(full, f));
}

/** Variable names in the code: S3GUARD_*, FALCO_*, AWS_*; a name built at run time ends with `_`. */
function variablesRead(): string[] {
  const names = new Set<string>();
  for (const file of SOURCES.flatMap(filesUnder)) {
    for (const m of readFileSync(file, "utf8").matchAll(/\b(?:S3GUARD|FALCO|AWS)_[A-Z0-9_]*/g)) names.add(m[0]);
  }
  return [...names].sort();
}

describe("s3guard run --help", () => {
  it("lists every environment variable the connector reads, as docs/connector.md does", async () => {
    const help = (await s3guard(["run", "--help"])).stdout;
    const docs = readFileSync(path.join(REPO, "docs", "connector.md"), "utf8");
    const names = variablesRead();
    expect(names).toEqual(expect.arrayContaining(["S3GUARD_QUEUE_URL", "S3GUARD_READ_ROLE_ARN", "FALCO_HOSTNAME", "S3GUARD_OUTPUT_"]));
    // Names built at run time (S3GUARD_OUTPUT_STORAGE_TEAM_URL) are covered by their pattern.
    const mentions = (text: string, name: string, whole = true) => new RegExp(`(?<![A-Z0-9_])${name}${whole ? "(?![A-Z0-9_])" : ""}`).test(text);
    const documented = (text: string, name: string) => mentions(text, name) || ["S3GUARD_OUTPUT_", "AWS_ENDPOINT_URL_"].some((p) => name.startsWith(p) && mentions(text, p, false));
    expect(names.filter((n) => !documented(help, n))).toEqual([]);
    expect(names.filter((n) => !documented(docs, n))).toEqual([]);
  });
});
