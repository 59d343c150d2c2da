/**
 * Secrets the user keeps in Secrets Manager or SSM Parameter Store, under Pulumi's mocks: the kit
 * stores nothing itself, names them in the container's `secrets`, and grants the execution role
 * exactly those secrets (and their customer managed key).
 */
import { ACCOUNT_ID, REGION } from "./helpers/mockCloud";
import { ofType, one, policyOf } from "./helpers/query";
import { ProgramRun, readStackFile, runIndex } from "./helpers/runProgram";

const SECRET_TYPE = "aws:secretsmanager/secret:Secret";
const dev = readStackFile("Pulumi.dev.yaml");
const withConnector = (connector: Record<string, unknown>) => ({
  ...dev,
  "s3guard:connector": { ...(dev["s3guard:connector"] as object), alerts: ["cloudwatch", "webhook"], ...connector },
});
const container = (run: ProgramRun) => one(run, "awsx:ecs:FargateService").inputs.taskDefinitionArgs.container;
const executionPolicy = (run: ProgramRun) => policyOf(one(run, "aws:iam/rolePolicy:RolePolicy", "s3guard-dev-connector-execution"));

describe("secrets kept in Secrets Manager or SSM Parameter Store by the user", () => {
  const secretArn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:alerts/webhook-Zx9Yw8`;
  const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const parameterArn = `arn:aws:ssm:${REGION}:${ACCOUNT_ID}:parameter/alerts/webhook`;

  it("names one key of a JSON secret, and lets the execution role read that secret and decrypt with its key", async () => {
    const run = await runIndex(withConnector({ webhookUrl: { secretsManager: secretArn, jsonKey: "url", kmsKeyArn: keyArn } }));
    expect(run.error).toBeUndefined();
    expect(ofType(run, SECRET_TYPE)).toEqual([]);
    expect(container(run).secrets).toEqual([{ name: "S3GUARD_WEBHOOK_URL", valueFrom: `${secretArn}:url::` }]);
    const sids = executionPolicy(run).Statement.map((s) => [s.Sid, s.Action, s.Resource]);
    expect(sids).toContainEqual(["ReadContainerSecrets", "secretsmanager:GetSecretValue", [secretArn]]);
    expect(sids).toContainEqual(["DecryptContainerSecrets", "kms:Decrypt", [keyArn]]);
    expect(sids.map(([sid]) => sid)).not.toContain("ReadContainerParameters");
  });

  it("names a SecureString parameter, readable with ssm:GetParameters and nothing more", async () => {
    const run = await runIndex(withConnector({ webhookUrl: { ssmParameter: parameterArn } }));
    expect(run.error).toBeUndefined();
    expect(container(run).secrets).toEqual([{ name: "S3GUARD_WEBHOOK_URL", valueFrom: parameterArn }]);
    const sids = executionPolicy(run).Statement.map((s) => [s.Sid, s.Action, s.Resource]);
    expect(sids).toContainEqual(["ReadContainerParameters", "ssm:GetParameters", [parameterArn]]);
    expect(sids.map(([sid]) => sid)).not.toEqual(expect.arrayContaining(["ReadContainerSecrets", "DecryptContainerSecrets"]));
  });

  it("grants no secret at all when no sink needs one", async () => {
    const run = await runIndex(dev);
    expect(container(run).secrets).toEqual([]);
    expect(executionPolicy(run).Statement.map((s) => s.Sid)).toEqual(["AuthenticateToEcr", "PullImage", "WriteContainerLogs"]);
  });
});
