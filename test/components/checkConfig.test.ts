/**
 * `npm run check-config -- <stack>`: a stack file checked offline with the program's own validator,
 * every problem at once with its key path, encrypted values counted as set.
 */
import { spawnSync } from "child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { checkStackFile } from "../../components/configStackFile";

const ROOT = path.resolve(__dirname, "../..");
const devFile = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
const paths = (text: string) => checkStackFile(text, "dev").problems.map((p) => p.path);

describe("checkStackFile", () => {
  it("accepts the shipped example stack", () => {
    expect(checkStackFile(devFile, "dev")).toEqual({ problems: [], encryptedValues: 0, importsEnvironments: false });
  });

  it("reports every problem at once, each naming its key path, with did-you-mean for a misspelt key", () => {
    const text = devFile.replace("customer-data-dev", "Customer-Data-Dev").replace("cpu: 256", "cpu: 300").replace("multiRegion:", "multiRegoin:");
    const { problems } = checkStackFile(text, "dev");
    expect(problems.map((p) => p.path)).toEqual([
      "s3guard:watchedBuckets[0].name",
      "s3guard:trail.multiRegoin",
      "s3guard:connector.cpu",
    ]);
    expect(problems[1].message).toContain('(did you mean "multiRegion"?)');
  });

  it("reads top-level scalars as the running program does: text, JSON where it parses", () => {
    const text = "config:\n  s3guard:watchedBuckets: []\n  s3guard:managementEvents: false\n";
    expect(checkStackFile(text, "dev").problems.map((p) => p.code)).toEqual(["CONFLICT"]);
    const prefix = checkStackFile("config:\n  s3guard:watchedBuckets: [{name: ok-bucket, read: true}]\n  s3guard:namePrefix: 123\n", "dev");
    expect(prefix.problems.map((p) => [p.code, p.path, p.value])).toEqual([["INVALID_NAME", "s3guard:namePrefix", "123"]]);
  });

  it("counts an encrypted value as set and does not call it clear text, while a clear-text secret is refused", () => {
    const secret = devFile
      .replace("    assignPublicIp: true\n", "    assignPublicIp: true\n    webhookUrl:\n      secure: v1:AAAABBBBCCCC\n")
      .replace("alerts: [cloudwatch, securityhub]", "alerts: [cloudwatch, webhook]");
    expect(checkStackFile(secret, "dev")).toMatchObject({ problems: [], encryptedValues: 1 });
    const plain = secret.replace("secure: v1:AAAABBBBCCCC", "").replace("webhookUrl:\n", "webhookUrl: https://hooks.example.com/x\n");
    const problems = checkStackFile(plain, "dev").problems;
    expect(problems.map((p) => [p.code, p.path])).toEqual([["PLAINTEXT_SECRET", "s3guard:connector.webhookUrl"]]);
    expect(problems[0].message).not.toContain("hooks.example.com");
  });

  it("takes the trail's region from aws:region", () => {
    const text = devFile.replace("multiRegion: true", "multiRegion: false").replace("read: true ", "region: eu-west-1\n      read: true ");
    expect(paths(text)).toEqual(["s3guard:watchedBuckets[0].region"]);
  });

  it("says where a file is not YAML or not a stack file", () => {
    expect(checkStackFile("config:\n  s3guard:tags: {a: 1\n", "dev").problems[0].message).toMatch(/^not valid YAML at line \d+/);
    expect(checkStackFile("- a\n", "dev").problems[0].message).toMatch(/^not a mapping/);
    expect(checkStackFile("config: [1]\n", "dev").problems[0].message).toMatch(/^`config:` is not a mapping/);
  });

  it("notes that values from imported ESC environments are not seen", () => {
    expect(checkStackFile(`environment:\n  - s3guard/prod\n${devFile}`, "dev").importsEnvironments).toBe(true);
  });
});

describe("npm run check-config", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "check-config-"));
    copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), devFile.replace("customer-data-dev", "Customer-Data-Dev"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // The npm script compiles the command first; the later runs use what it compiled.
  const script = path.join(ROOT, "scripts/checkConfig/dist/scripts/checkConfig/main.js");
  const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: "utf8" });

  it("passes on the shipped Pulumi.dev.yaml", () => {
    const npm = spawnSync("npm", ["run", "-s", "check-config", "--", "dev"], { cwd: ROOT, encoding: "utf8" });
    expect(npm.stderr).toBe("");
    expect(npm.stdout).toBe('Pulumi.dev.yaml: the s3guard configuration of stack "dev" is valid.\n');
    expect(npm.status).toBe(0);
  });

  it("fails naming s3guard:watchedBuckets[0].name on a bucket name with capitals", () => {
    const result = run("dev", "--project-dir", dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'Pulumi.dev.yaml: 1 problem in the s3guard configuration of stack "dev":\n' +
        '  - s3guard:watchedBuckets[0].name: not a valid S3 bucket name (got "Customer-Data-Dev"); bucket names must use only lowercase letters, digits, dots and hyphens\n',
    );
  });

  it("checks a log-archive/ stack with that program's own validator", () => {
    expect(run("example", "--project-dir", path.join(ROOT, "log-archive")).stdout).toBe(
      'Pulumi.example.yaml: the s3guard-log-archive configuration of stack "example" is valid.\n',
    );
    const archive = mkdtempSync(path.join(tmpdir(), "check-config-archive-"));
    copyFileSync(path.join(ROOT, "log-archive", "Pulumi.yaml"), path.join(archive, "Pulumi.yaml"));
    writeFileSync(
      path.join(archive, "Pulumi.archive.yaml"),
      'config:\n  aws:region: us-east-1\n  s3guard-log-archive:logBucketName: org-logs\n  s3guard-log-archive:externalId: s3guard-7f3a\n  s3guard-log-archive:connector:\n    accountId: "111122223333"\n',
    );
    const result = run("archive", "--project-dir", archive);
    rmSync(archive, { recursive: true, force: true });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'Pulumi.archive.yaml: 1 problem in the s3guard-log-archive configuration of stack "archive":\n' +
        "  - s3guard-log-archive:connector.namePrefix: required without connector.taskRoleArn (got nothing); the s3guard stack's s3guard:namePrefix (default s3guard-<stack>), which its task role and queue are named after; or their exact ARNs from its outputs\n",
    );
  });

  it("names the stacks that have a file when the one asked for has none, and refuses misuse", () => {
    const missing = run("dve");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no Pulumi\.dve\.yaml in .*; stacks with a file: dev.* \(did you mean "dev"\?\)/);
    expect(run().status).toBe(2);
    expect(run("dev", "--projet-dir", dir).stderr).toContain('(did you mean "--project-dir"?)');
  });
});
