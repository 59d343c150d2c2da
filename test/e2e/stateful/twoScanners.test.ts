import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { s3guard } from "../../support/cli";
import { createStateTable, dynamoEnv, startDynalite, type LocalDynamo } from "../../support/dynalite";
import { objectKeys, iamUser, Trail, versionId, CLI_AGENT } from "../../rules/fixtures/s3DataEvents";

/**
 * Two detector processes share one DynamoDB table (dynalite over HTTP, the real SDK in each
 * process) and each reads its share of the CloudTrail log files, at the same time, as two
 * connector tasks would take turns at one queue. A threshold crossing whose matches are split
 * between the processes alerts exactly once, in one of them; so does a sequence whose two steps
 * reach different processes. The bundled rules are used as shipped.
 */

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

const dir = mkdtempSync(path.join(tmpdir(), "s3guard-two-scanners-"));
/** Writes CloudTrail log files of `perFile` records each, gzip like the trail's; returns their paths. */
function logFiles(name: string, records: object[], perFile: number): string[] {
  const files: string[] = [];
  for (let i = 0; i * perFile < records.length; i++) {
    const p = path.join(dir, `${name}-${String(i).padStart(3, "0")}.json.gz`);
    writeFileSync(p, gzipSync(JSON.stringify({ Records: records.slice(i * perFile, (i + 1) * perFile) })));
    files.push(p);
  }
  return files;
}

/** Runs one `s3guard scan` per share of files, all at once; returns each process's alerts. */
async function scanTogether(table: string, shares: string[][]): Promise<{ rule: string }[][]> {
  const env = { ...dynamoEnv(dynamo.endpoint), S3GUARD_STATE_TABLE: table };
  const runs = await Promise.all(shares.map((files) => s3guard(["scan", "--rule-matching", "all", ...files], undefined, env)));
  return runs.map((r) => {
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    return r.stdout
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { rule: string });
  });
}

describe("two detector processes sharing state in DynamoDB", () => {
  it("alert once for a mass deletion whose 60 deletions are split between them", async () => {
    const mallory = new Trail("two-scanners/mass", iamUser("mallory", "198.51.100.23", CLI_AGENT), "finance-records-prod", "2024-06-03T10:00:00Z");
    const deletions = objectKeys(60, 71).map((k, i) => mallory.deleteObject(i * 3000, k, versionId(`two/${i}`)));
    const files = logFiles("mass", deletions, 5);
    // Files alternate between the processes: 30 deletions each, under the threshold of 50.
    const shares = [files.filter((_, i) => i % 2 === 0), files.filter((_, i) => i % 2 === 1)];
    const table = await createStateTable(dynamo.client());
    const perProcess = await scanTogether(table, shares);
    const crossings = perProcess.flat().filter((a) => a.rule === "S3 Mass Object Deletion");
    expect(crossings).toHaveLength(1);
  });

  it("alert once for versions listed in one process's files and batch-deleted in the other's", async () => {
    const mallory = new Trail("two-scanners/versions", iamUser("mallory", "198.51.100.23", CLI_AGENT), "finance-records-prod", "2024-06-03T11:00:00Z");
    const listing = logFiles("listing", [mallory.listObjectVersions(0)], 1);
    const deletion = logFiles("deletion", [mallory.deleteObjects(30_000, 900), mallory.deleteObjects(31_000, 900)], 2);
    const table = await createStateTable(dynamo.client());
    const perProcess = await scanTogether(table, [deletion, listing]);
    expect(perProcess.flat().filter((a) => a.rule === "S3 Versions Listed then Batch-Deleted")).toHaveLength(1);
  });
});
