import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { CloudWatchLogsSink } from "../../../detector/src/alerts/cloudwatch";
import { makeAlert } from "../support/alerts";
import { clientConfig, ScriptedEndpoint, type ScriptedResponse } from "../support/scriptedEndpoint";

const OK: ScriptedResponse = { status: 200, body: {} };
const error = (type: string, message = type): ScriptedResponse => ({ status: 400, body: { __type: type, message } });
const fast = { attempts: 4, baseMs: 1, maxMs: 5 };

describe("CloudWatch Logs sink over HTTP", () => {
  let endpoint: ScriptedEndpoint | undefined;
  afterEach(async () => {
    await endpoint?.stop();
  });

  const sink = (url: string) => new CloudWatchLogsSink(new CloudWatchLogsClient(clientConfig(url)), { group: "cloud-connector", stream: "alerts", lingerMs: 1, retry: fast });

  it("creates its stream when missing, then puts the alerts", async () => {
    endpoint = await ScriptedEndpoint.start(() => OK);
    const failures = await sink(endpoint.url).send([makeAlert({ n: 1 }), makeAlert({ n: 2 })]);
    expect(failures).toEqual([]);
    expect(endpoint.requests.map((r) => r.target)).toEqual(["Logs_20140328.CreateLogStream", "Logs_20140328.PutLogEvents"]);
    expect(endpoint.requests[0].body).toEqual({ logGroupName: "cloud-connector", logStreamName: "alerts" });
    expect(endpoint.requests[1].body.logEvents).toHaveLength(2);
  });

  it("accepts a stream that already exists", async () => {
    endpoint = await ScriptedEndpoint.start((req) => (req.target.endsWith("CreateLogStream") ? error("ResourceAlreadyExistsException") : OK));
    expect(await sink(endpoint.url).send([makeAlert()])).toEqual([]);
  });

  it("retries throttling until the events are accepted", async () => {
    let puts = 0;
    endpoint = await ScriptedEndpoint.start((req) => (req.target.endsWith("PutLogEvents") && ++puts <= 2 ? error("ThrottlingException", "Rate exceeded") : OK));
    expect(await sink(endpoint.url).send([makeAlert()])).toEqual([]);
    expect(endpoint.requests.filter((r) => r.target.endsWith("PutLogEvents"))).toHaveLength(3);
  });

  it("reports the alerts as failed when throttling outlasts the retries", async () => {
    endpoint = await ScriptedEndpoint.start((req) => (req.target.endsWith("PutLogEvents") ? error("ThrottlingException", "Rate exceeded") : OK));
    const failures = await sink(endpoint.url).send([makeAlert({ id: "a1" })]);
    expect(failures).toEqual([{ alertId: "a1", reason: expect.stringContaining("ThrottlingException") }]);
  });

  it("creates the stream again when it was deleted", async () => {
    let puts = 0;
    endpoint = await ScriptedEndpoint.start((req) => (req.target.endsWith("PutLogEvents") && ++puts === 1 ? error("ResourceNotFoundException", "The specified log stream does not exist.") : OK));
    expect(await sink(endpoint.url).send([makeAlert()])).toEqual([]);
    expect(endpoint.requests.map((r) => r.target.split(".")[1])).toEqual(["CreateLogStream", "PutLogEvents", "CreateLogStream", "PutLogEvents"]);
  });

  it("explains a missing log group", async () => {
    endpoint = await ScriptedEndpoint.start(() => error("ResourceNotFoundException", "The specified log group does not exist."));
    const [failure] = await sink(endpoint.url).send([makeAlert()]);
    expect(failure.reason).toMatch(/log group 'cloud-connector' does not exist: create it .* or set S3GUARD_LOG_GROUP/);
  });

  it("gathers alerts sent at the same time into one request", async () => {
    endpoint = await ScriptedEndpoint.start(() => OK);
    const s = new CloudWatchLogsSink(new CloudWatchLogsClient(clientConfig(endpoint.url)), { group: "g", stream: "s", lingerMs: 50, retry: fast });
    await Promise.all([s.send([makeAlert({ n: 1 })]), s.send([makeAlert({ n: 2 })]), s.send([makeAlert({ n: 3 })])]);
    const puts = endpoint.requests.filter((r) => r.target.endsWith("PutLogEvents"));
    expect(puts).toHaveLength(1);
    expect(puts[0].body.logEvents).toHaveLength(3);
  });
});
