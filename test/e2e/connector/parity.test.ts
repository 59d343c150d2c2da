import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { asLogObjectBytes, deliverLogFile } from "../../../scripts/local/cloudTrailDelivery";
import { REPO_ROOT } from "../../../scripts/local/localAws";
import { sampleLogKey } from "../../../scripts/local/logKeys";
import { syntheticRecords } from "../../../scripts/local/syntheticTrail";
import { eventually, Harness } from "../support/harness";
import { RULES_V2 } from "../support/testRules";

/** What `s3guard scan` prints for some files: one Falco JSON alert per line. */
function scan(rulesFile: string, dir: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [path.join(REPO_ROOT, "detector/bin/s3guard.js"), "scan", "--rules", rulesFile, dir], { env: { ...process.env, FALCO_HOSTNAME: "parity" }, maxBuffer: 64 << 20 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout.split("\n").filter(Boolean)),
    ),
  );
}

const byText = (a: unknown, b: unknown) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);

describe("Cloud Connector: the same alerts as s3guard scan", () => {
  let h: Harness;
  let work: string;
  beforeAll(async () => {
    h = await Harness.start({ name: "parity", rules: RULES_V2 });
    work = mkdtempSync(path.join(tmpdir(), "s3guard-parity-"));
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("raises exactly the alerts the scanner raises for the files it is delivered", async () => {
    const logs = path.join(work, "logs");
    const rulesFile = path.join(work, "rules.yaml");
    mkdirSync(logs);
    writeFileSync(rulesFile, RULES_V2);
    for (let i = 0; i < 4; i++) writeFileSync(path.join(logs, `123456789012_CloudTrail_us-east-1_20240501T120${i}Z_parity${i}.json.gz`), gzipSync(JSON.stringify({ Records: syntheticRecords(150, `parity${i}`, 20) })));
    const expected = (await scan(rulesFile, logs)).map((l) => JSON.parse(l));

    const c = await h.startConnector({ FALCO_HOSTNAME: "parity" });
    const files = readdirSync(logs);
    for (const f of files) await deliverLogFile(h.aws, h.pipeline, sampleLogKey(path.join(logs, f), logs), { bytes: await asLogObjectBytes(path.join(logs, f)) });
    await eventually("every file handled", async () => (await c.metrics()).get('s3guard_messages_total{outcome="deleted"}') === files.length);

    expect(expected.length).toBeGreaterThan(100);
    expect([...c.detections].sort(byText)).toEqual(expected.sort(byText));
  });
});
