/**
 * Secrets under Pulumi's mocks: a webhook URL set with `pulumi config set --secret` reaches the task
 * only through a Secrets Manager secret named in the container's `secrets`, stays a Pulumi secret in
 * every resource input, and the execution role may read exactly the secrets the container names.
 */
import type { ConfigError } from "../../components/config";
import { ACCOUNT_ID, REGION } from "./helpers/mockCloud";
import { one, policyOf, statement } from "./helpers/query";
import { isSecretValue, plainOccurrences, ProgramRun, readStackFile, runIndex } from "./helpers/runProgram";

const URL = "https://hooks.example.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX";
const SECRET_TYPE = "aws:secretsmanager/secret:Secret";
const VERSION_TYPE = "aws:secretsmanager/secretVersion:SecretVersion";

const dev = readStackFile("Pulumi.dev.yaml");
const withConnector = (connector: Record<string, unknown>) => ({
  ...dev,
  "s3guard:connector": { ...(dev["s3guard:connector"] as object), alerts: ["cloudwatch", "webhook"], ...connector },
});
const container = (run: ProgramRun) => one(run, "awsx:ecs:FargateService").inputs.taskDefinitionArgs.container;
const executionPolicy = (run: ProgramRun) => policyOf(one(run, "aws:iam/rolePolicy:RolePolicy", "s3guard-dev-connector-execution"));

describe("a webhook URL set with pulumi config set --secret", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runIndex(withConnector({ webhookUrl: URL }), { secretKeys: ["s3guard:connector"] });
    if (run.error !== undefined) {
      throw run.error;
    }
  });

  it("appears in no resource input and no stack output except as a secret", () => {
    expect(plainOccurrences(run, "hooks.example.com")).toEqual([]);
    expect(plainOccurrences(run, "XXXXXXXXXXXXXXXX")).toEqual([]);
  });

  it("is stored, as a secret, in a Secrets Manager secret of the stack that is deleted without a recovery window", () => {
    const secret = one(run, SECRET_TYPE);
    expect(secret.name).toBe("s3guard-dev-connector-webhook-url");
    expect(secret.inputs).toMatchObject({ recoveryWindowInDays: 0, description: expect.not.stringContaining("hooks") });
    const version = one(run, VERSION_TYPE);
    expect(isSecretValue(version.inputs.secretString)).toBe(true);
    expect(version.inputs.secretString.value).toBe(URL);
  });

  it("reaches the container through its secrets, naming the secret's version, and never through its environment", () => {
    const secretArn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:s3guard-dev-connector-webhook-url-1a2b3c4-AbCdEf`;
    expect(container(run).secrets).toEqual([
      { name: "S3GUARD_WEBHOOK_URL", valueFrom: `${secretArn}:::7e6c1f4b-0000-4000-8000-000000000001` },
    ]);
    const names = (container(run).environment as { name: string }[]).map((v) => v.name);
    expect(names).not.toContain("S3GUARD_WEBHOOK_URL");
    expect(statement(executionPolicy(run), "ReadContainerSecrets")).toEqual({
      Sid: "ReadContainerSecrets",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: [secretArn],
    });
  });

  it("gives the task role no access to it: only ECS, with the execution role, reads secrets", () => {
    const task = JSON.stringify(policyOf(one(run, "aws:iam/rolePolicy:RolePolicy", "s3guard-dev-connector-task")));
    expect(task).not.toMatch(/secretsmanager|ssm:/);
  });
});

describe("a webhook URL in clear text", () => {
  it("stops the program before anything is declared, without repeating the URL", async () => {
    const run = await runIndex(withConnector({ webhookUrl: URL }));
    expect(run.error).toMatchObject({ name: "ConfigError", code: "S3GUARD_INVALID_CONFIG" });
    const error = run.error as ConfigError;
    expect(error.problems.map((p) => [p.code, p.path])).toEqual([["PLAINTEXT_SECRET", "s3guard:connector.webhookUrl"]]);
    expect(error.message).toContain("pulumi config set --secret --path 's3guard:connector.webhookUrl' <value>");
    expect(error.message).not.toContain("hooks.example.com");
    expect(run.resources.filter((r) => !r.type.startsWith("pulumi:"))).toEqual([]);
  });
});
