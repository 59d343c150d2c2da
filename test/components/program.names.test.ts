/**
 * Two stacks with the same settings in one account: `cp Pulumi.dev.yaml Pulumi.prod.yaml`, as the
 * README suggests. Every name AWS sees derives from the stack, so the two share none.
 */
import { AUTO_NAME_SUFFIX_LENGTH, NAME_LIMITS } from "../../components/awsLimits";
import { NAME_PREFIX_MAX_LENGTH } from "../../components/naming";
import { autoName } from "./helpers/mockCloud";
import * as path from "path";
import { one } from "./helpers/query";
import { ProgramRun, readStackFile, REPO_ROOT, runIndex, runProgram } from "./helpers/runProgram";

/** Types whose resources AWS knows by a name: given as `name` (or `bucket`), else Pulumi's auto-name. */
const NAMED_TYPES = new Set(Object.keys(NAME_LIMITS).filter((t) => t !== "task definition family"));

/** Every physical name of a run, with the type of what bears it. */
function physicalNames(run: ProgramRun): Array<[string, string]> {
  const names: Array<[string, string]> = [];
  for (const r of run.resources) {
    if (!NAMED_TYPES.has(r.type)) {
      continue;
    }
    const given = r.type === "aws:s3/bucket:Bucket" ? r.inputs.bucket : r.inputs.name;
    names.push([typeof given === "string" ? given : autoName(r.name), r.type]);
    const family = r.inputs.taskDefinitionArgs?.family;
    if (typeof family === "string") {
      names.push([family, "task definition family"]);
    }
  }
  return names;
}

describe("two stacks from the same stack file", () => {
  const settings = readStackFile("Pulumi.dev.yaml");
  let dev: Array<[string, string]>;
  let prod: Array<[string, string]>;
  beforeAll(async () => {
    const runs = [await runIndex(settings, { stack: "dev" }), await runIndex(settings, { stack: "prod" })];
    for (const run of runs) {
      if (run.error !== undefined) throw run.error;
    }
    [dev, prod] = runs.map(physicalNames);
  });

  it("name every resource after their stack", () => {
    expect(dev.length).toBeGreaterThan(20);
    expect(dev.filter(([n]) => !n.startsWith("s3guard-dev-"))).toEqual([]);
    expect(prod.filter(([n]) => !n.startsWith("s3guard-prod-"))).toEqual([]);
  });

  it("share no physical name", () => {
    const prodNames = new Set(prod.map(([n]) => n));
    expect(dev.filter(([n]) => prodNames.has(n))).toEqual([]);
  });

  it("differ between projects too: a project not named s3guard prefixes its names with its own name", async () => {
    const run = await runProgram(settings, () => require(path.join(REPO_ROOT, "index.ts")), { project: "acme-audit", stack: "dev" });
    if (run.error !== undefined) throw run.error;
    expect(one(run, "aws:cloudtrail/trail:Trail").inputs.name).toBe("acme-audit-dev-trail");
    expect(physicalNames(run).filter(([n]) => !n.startsWith("acme-audit-dev-"))).toEqual([]);
  });

  it("each have their own connector log group", () => {
    expect(dev.filter(([, type]) => type === "aws:cloudwatch/logGroup:LogGroup").map(([n]) => n)).toEqual(["s3guard-dev-connector"]);
    expect(prod.filter(([, type]) => type === "aws:cloudwatch/logGroup:LogGroup").map(([n]) => n)).toEqual(["s3guard-prod-connector"]);
  });
});

describe("the longest name prefix, with every optional resource on", () => {
  it("keeps every physical name within AWS's limit for its kind", async () => {
    const prefix = "s3guard-production-eu-central-1x";
    expect(prefix).toHaveLength(NAME_PREFIX_MAX_LENGTH);
    expect(autoName("x")).toHaveLength(1 + AUTO_NAME_SUFFIX_LENGTH);
    const settings = readStackFile("Pulumi.dev.yaml");
    const run = await runIndex({
      ...settings,
      "s3guard:namePrefix": prefix,
      "s3guard:trail": { cloudWatchLogs: true, createKmsKey: true, objectLockDays: 30 },
      "s3guard:connector": {
        webhookUrl: "https://hooks.example.com/services/T000/B000",
        alerts: ["cloudwatch", "webhook"],
        maxTasks: 4,
      },
    }, { secretKeys: ["s3guard:connector"] });
    if (run.error !== undefined) throw run.error;
    const names = physicalNames(run);
    expect(new Set(names.map(([, type]) => type))).toEqual(new Set(Object.keys(NAME_LIMITS)));
    expect(names.filter(([name, type]) => name.length > NAME_LIMITS[type])).toEqual([]);
  });
});
