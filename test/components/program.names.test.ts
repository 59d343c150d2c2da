/**
 * Two stacks with the same settings in one account: `cp Pulumi.dev.yaml Pulumi.prod.yaml`, as the
 * README suggests. Every name AWS sees derives from the stack, so the two share none.
 */
import { autoName } from "./helpers/mockCloud";
import { ProgramRun, readStackFile, runIndex } from "./helpers/runProgram";

/** Types whose resources AWS knows by a name: given as `name` (or `bucket`), else Pulumi's auto-name. */
const NAMED_TYPES = new Set([
  "aws:s3/bucket:Bucket",
  "aws:sqs/queue:Queue",
  "aws:sns/topic:Topic",
  "aws:dynamodb/table:Table",
  "aws:iam/role:Role",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:secretsmanager/secret:Secret",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:ecr/repository:Repository",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ecs/cluster:Cluster",
  "aws:cloudtrail/trail:Trail",
  "aws:appautoscaling/policy:Policy",
  "aws:kms/key:Key",
  "aws:kms/alias:Alias",
  "awsx:ecs:FargateService",
]);

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

  it("each have their own connector log group", () => {
    expect(dev.filter(([, type]) => type === "aws:cloudwatch/logGroup:LogGroup").map(([n]) => n)).toEqual(["s3guard-dev-connector"]);
    expect(prod.filter(([, type]) => type === "aws:cloudwatch/logGroup:LogGroup").map(([n]) => n)).toEqual(["s3guard-prod-connector"]);
  });
});
