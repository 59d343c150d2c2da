import { SecurityHubClient } from "@aws-sdk/client-securityhub";
import { toFinding } from "../../../detector/src/alerts/asff";
import { findingBatches, SECURITYHUB_MAX_BATCH_BYTES, SecurityHubSink } from "../../../detector/src/alerts/securityHub";
import { makeAlert } from "../support/alerts";
import { clientConfig, ScriptedEndpoint, type RecordedRequest } from "../support/scriptedEndpoint";

const CTX = { partition: "aws", region: "eu-west-1", accountId: "123456789012" };
const NOW = new Date("2024-05-01T12:05:00Z");

describe("BatchImportFindings batches", () => {
  it("holds at most 100 findings", () => {
    const findings = Array.from({ length: 250 }, (_, n) => toFinding(makeAlert({ n }), CTX, NOW));
    expect(findingBatches(findings).map((b) => b.length)).toEqual([100, 100, 50]);
  });

  it("stays under 6 MB per request", () => {
    const outputFields = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`f${i}`, "v".repeat(2000)]));
    const findings = Array.from({ length: 100 }, (_, n) => toFinding(makeAlert({ n, outputFields }), CTX, NOW));
    const batches = findingBatches(findings);
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) expect(Buffer.byteLength(JSON.stringify({ Findings: b }), "utf8")).toBeLessThanOrEqual(SECURITYHUB_MAX_BATCH_BYTES);
    expect(batches.flat()).toHaveLength(100);
  });
});

describe("Security Hub sink over HTTP", () => {
  let endpoint: ScriptedEndpoint | undefined;
  afterEach(async () => {
    await endpoint?.stop();
  });

  const sink = (url: string) =>
    new SecurityHubSink(new SecurityHubClient(clientConfig(url)), { context: async () => CTX, lingerMs: 1, retryBaseMs: 1, now: () => NOW });
  const ids = (req: RecordedRequest) => req.body.Findings.map((f: { Id: string }) => f.Id);

  it("imports findings at /findings/import and reads SuccessCount", async () => {
    endpoint = await ScriptedEndpoint.start((req) => ({ status: 200, body: { FailedCount: 0, SuccessCount: req.body.Findings.length, FailedFindings: [] } }));
    expect(await sink(endpoint.url).send([makeAlert({ n: 1 }), makeAlert({ n: 2 })])).toEqual([]);
    expect(endpoint.requests).toHaveLength(1);
    expect(endpoint.requests[0].path).toBe("/findings/import");
    expect(ids(endpoint.requests[0])).toEqual(["s3guard/alert-000001", "s3guard/alert-000002"]);
  });

  it("sends again only the findings a successful response lists as failed", async () => {
    endpoint = await ScriptedEndpoint.start((req, n) =>
      n === 1
        ? { status: 200, body: { FailedCount: 1, SuccessCount: 2, FailedFindings: [{ Id: "s3guard/alert-000002", ErrorCode: "InternalFailure", ErrorMessage: "try again" }] } }
        : { status: 200, body: { FailedCount: 0, SuccessCount: req.body.Findings.length, FailedFindings: [] } },
    );
    expect(await sink(endpoint.url).send([1, 2, 3].map((n) => makeAlert({ n })))).toEqual([]);
    expect(endpoint.requests.map(ids)).toEqual([["s3guard/alert-000001", "s3guard/alert-000002", "s3guard/alert-000003"], ["s3guard/alert-000002"]]);
  });

  it("reports findings that keep failing, with Security Hub's error code", async () => {
    endpoint = await ScriptedEndpoint.start(() => ({ status: 200, body: { FailedCount: 1, SuccessCount: 1, FailedFindings: [{ Id: "s3guard/alert-000002", ErrorCode: "InvalidInput", ErrorMessage: "Finding does not adhere to ASFF" }] } }));
    const failures = await sink(endpoint.url).send([makeAlert({ n: 1 }), makeAlert({ n: 2 })]);
    expect(failures).toEqual([{ alertId: "alert-000002", reason: "InvalidInput: Finding does not adhere to ASFF" }]);
  });

  it("retries throttling (TooManyRequestsException)", async () => {
    endpoint = await ScriptedEndpoint.start((req, n) =>
      n <= 2
        ? { status: 429, headers: { "x-amzn-errortype": "TooManyRequestsException" }, body: { Code: "TooManyRequestsException", Message: "Rate exceeded" } }
        : { status: 200, body: { FailedCount: 0, SuccessCount: req.body.Findings.length, FailedFindings: [] } },
    );
    expect(await sink(endpoint.url).send([makeAlert()])).toEqual([]);
    expect(endpoint.requests).toHaveLength(3);
  });

  it("does not retry a request Security Hub refuses outright", async () => {
    endpoint = await ScriptedEndpoint.start(() => ({ status: 403, headers: { "x-amzn-errortype": "AccessDeniedException" }, body: { Message: "not authorized to perform securityhub:BatchImportFindings" } }));
    const [failure] = await sink(endpoint.url).send([makeAlert()]);
    expect(failure.reason).toMatch(/AccessDeniedException/);
    expect(endpoint.requests).toHaveLength(1);
  });
});

describe("the account and region of findings", () => {
  it("is the account that owns the connector's queue, and the client's region", async () => {
    const { accountOfQueueUrl, findingContextFromQueue } = await import("../../../detector/src/alerts/findingContext");
    expect(accountOfQueueUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/s3guard-notifications")).toBe("123456789012");
    expect(accountOfQueueUrl("https://example.com/queue")).toBeUndefined();
    const hub = new SecurityHubClient({ region: "cn-north-1" });
    await expect(findingContextFromQueue("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q")(hub)()).resolves.toEqual({ accountId: "123456789012", region: "cn-north-1", partition: "aws-cn" });
  });
});
