import { PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { putLogEventsInput } from "../../../detector/src/alerts/cloudwatch";
import { CWL_EVENT_OVERHEAD, CWL_MAX_BATCH_BYTES, CWL_MAX_EVENT_BYTES, CWL_MAX_EVENTS, CWL_MAX_SPAN_MS, logEventTimestamp, planLogBatches } from "../../../detector/src/alerts/cloudwatchEvents";
import { makeAlert } from "../support/alerts";

const NOW = Date.parse("2024-05-02T00:00:00Z");
const HOUR = 3600 * 1000;
const at = (ms: number) => BigInt(ms) * 1_000_000n;

/** Every PutLogEvents request built for these alerts, as the SDK command would send it. */
function requests(alerts: ReturnType<typeof makeAlert>[]) {
  return planLogBatches(alerts, NOW).map((b) => new PutLogEventsCommand(putLogEventsInput("cloud-connector", "alerts", b)).input);
}

function requestBytes(input: { logEvents?: Array<{ message?: string }> }): number {
  return (input.logEvents ?? []).reduce((n, e) => n + Buffer.byteLength(e.message ?? "", "utf8") + CWL_EVENT_OVERHEAD, 0);
}

describe("CloudWatch Logs PutLogEvents requests", () => {
  it("names the log group and stream and sends Falco JSON messages", () => {
    const [input] = requests([makeAlert()]);
    expect(input.logGroupName).toBe("cloud-connector");
    expect(input.logStreamName).toBe("alerts");
    expect(JSON.parse(input.logEvents![0].message!)).toMatchObject({ rule: "S3 object deleted", priority: "Warning", output_fields: { "s3.key": "file-1.csv" } });
  });

  it("puts at most 10,000 events and 1,048,576 bytes in a request, and every alert in one of them", () => {
    const alerts = Array.from({ length: 25_000 }, (_, i) => makeAlert({ n: i, timeNs: at(NOW - HOUR) }));
    const inputs = requests(alerts);
    for (const input of inputs) {
      expect(input.logEvents!.length).toBeLessThanOrEqual(CWL_MAX_EVENTS);
      expect(requestBytes(input)).toBeLessThanOrEqual(CWL_MAX_BATCH_BYTES);
    }
    expect(inputs.reduce((n, r) => n + r.logEvents!.length, 0)).toBe(25_000);
  });

  it("keeps each request within 1,048,576 bytes counting 26 bytes per event, and fills requests up to it", () => {
    const big = "x".repeat(100_000);
    const alerts = Array.from({ length: 40 }, (_, i) => makeAlert({ n: i, timeNs: at(NOW - HOUR), outputFields: { "s3.key": big } }));
    const inputs = requests(alerts);
    for (const input of inputs) expect(requestBytes(input)).toBeLessThanOrEqual(CWL_MAX_BATCH_BYTES);
    expect(inputs.reduce((n, r) => n + r.logEvents!.length, 0)).toBe(40);
    // Each message is ~100 KB: ten fit under the limit, an eleventh would not.
    expect(inputs[0].logEvents).toHaveLength(10);
  });

  it("sends events in chronological order, whatever order the alerts came in", () => {
    const times = [5, 1, 4, 2, 3].map((m) => NOW - HOUR + m * 1000);
    const [input] = requests(times.map((t, i) => makeAlert({ n: i, timeNs: at(t) })));
    const stamps = input.logEvents!.map((e) => e.timestamp!);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
  });

  it("never lets one request span 24 hours or more", () => {
    const start = NOW - 13 * 24 * HOUR;
    const alerts = Array.from({ length: 60 }, (_, i) => makeAlert({ n: i, timeNs: at(start + i * 5 * HOUR) })).filter((a) => Number(a.timeNs / 1_000_000n) < NOW);
    const inputs = requests(alerts);
    expect(inputs.length).toBeGreaterThan(1);
    for (const input of inputs) {
      const stamps = input.logEvents!.map((e) => e.timestamp!);
      expect(stamps[stamps.length - 1] - stamps[0]).toBeLessThan(CWL_MAX_SPAN_MS);
    }
  });

  it("cuts an alert larger than 256 KB to a valid JSON event that says it was truncated", () => {
    const huge = makeAlert({ outputFields: { "ct.request": "é".repeat(200_000) }, message: "m".repeat(300_000), timeNs: at(NOW - HOUR) });
    const [input] = requests([huge]);
    const message = input.logEvents![0].message!;
    expect(Buffer.byteLength(message, "utf8") + CWL_EVENT_OVERHEAD).toBeLessThanOrEqual(CWL_MAX_EVENT_BYTES);
    expect(JSON.parse(message)).toMatchObject({ rule: "S3 object deleted", priority: "Warning", truncated: true, output_fields: {} });
  });

  it("stamps an event with its own time when CloudWatch accepts it, and with the detection time when it is too old or in the future", () => {
    expect(logEventTimestamp(makeAlert({ timeNs: at(NOW - HOUR) }), NOW)).toBe(NOW - HOUR);
    expect(logEventTimestamp(makeAlert({ timeNs: at(NOW - 20 * 24 * HOUR) }), NOW)).toBe(NOW);
    expect(logEventTimestamp(makeAlert({ timeNs: at(NOW + 3 * HOUR) }), NOW)).toBe(NOW);
  });
});
