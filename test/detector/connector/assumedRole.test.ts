import { STSClient } from "@aws-sdk/client-sts";
import { assumedRoleCredentials } from "../../../detector/src/connector/assumedRole";
import { startStubSts, type StubSts } from "../../../scripts/local/stubSts";

const ROLE = "arn:aws:iam::222233334444:role/s3guard-log-reader";

describe("the read role's credentials", () => {
  let sts: StubSts;
  let client: STSClient;
  beforeAll(async () => {
    sts = await startStubSts([{ arn: ROLE, externalId: "s3guard-prod" }]);
    client = new STSClient({ region: "us-east-1", endpoint: sts.endpoint, credentials: { accessKeyId: "task", secretAccessKey: "task" } });
  });
  afterAll(async () => {
    client.destroy();
    await sts.stop();
  });

  it("assumes the role once for concurrent callers, and again only when the credentials near their expiry", async () => {
    let now = Date.now();
    const credentials = assumedRoleCredentials(client, { arn: ROLE, externalId: "s3guard-prod" }, () => now);
    const [a, b] = await Promise.all([credentials(), credentials()]);
    expect(sts.calls).toHaveLength(1);
    expect(a).toBe(b);
    expect(a.accessKeyId).toBe(sts.issued[0].accessKeyId);
    expect(a.sessionToken).toBe(sts.issued[0].sessionToken);
    expect(a.expiration!.getTime()).toBeGreaterThan(now);

    now = a.expiration!.getTime() - 10 * 60_000;
    expect(await credentials()).toBe(a);
    now = a.expiration!.getTime() - 4 * 60_000;
    const renewed = await credentials();
    expect(sts.calls).toHaveLength(2);
    expect(renewed.accessKeyId).toBe(sts.issued[1].accessKeyId);
  });

  it("turns a refusal into a message saying what to check", async () => {
    const credentials = assumedRoleCredentials(client, { arn: ROLE });
    await expect(credentials()).rejects.toThrow(
      `cannot assume ${ROLE} (AccessDenied: User: task is not authorized to perform: sts:AssumeRole on resource: ${ROLE}): the task role needs sts:AssumeRole on it, and the role's trust policy must admit the task role (set S3GUARD_READ_ROLE_EXTERNAL_ID if it asks for an external id)`,
    );
  });
});
