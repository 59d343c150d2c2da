import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { deflateRawSync } from "node:zlib";
import type { RulesFile } from "../../detector/src/engine";
import { ACTIONS } from "../../scripts/measure/actions";
import { DATASETS, isVariant, SOURCES } from "../../scripts/measure/catalog";
import { datasetDir, deliveryOrder, measureDatasets, measureRecords, noiseRate } from "../../scripts/measure/coverage";
import { coverageTable, splitSummary } from "../../scripts/measure/coverageReport";
import { pantherTests } from "../../scripts/measure/datasets";
import { deliveredTwice, inTimeOrder } from "../../scripts/measure/evaluate";
import { attackerRecords, parseLabels, readLabels } from "../../scripts/measure/labels";
import { measurePantherAgreement, normalisePantherEvent, PLACEHOLDER_TIME } from "../../scripts/measure/panther";
import { extractSource, manifestDigest, selects, sourceStatus, type Source } from "../../scripts/measure/sources";
import { replaceMarked } from "../../scripts/measure/tables";
import type { CloudTrailRecord, EvaluateAll } from "../../scripts/measure/types";
import { unzip } from "../../scripts/measure/zip";
import { singleRecordEvaluator } from "../../scripts/measure/singleEvent";
import { bundledRulesFiles } from "../support/bundledRules";
import { describeWithSharedData } from "../support/sharedData";

/** An evaluator that alerts with `rule`/`tags` on records whose eventName is `name`. */
function firesOn(name: string, rule: string, tags: string[]): EvaluateAll {
  return (records) => records.map((r) => (r.eventName === name ? [{ rule, tags }] : []));
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "s3guard-measure-"));

/** A small rules file: a Warning on StopLogging, a Notice on ListBuckets folded into one alert per principal and hour. */
const RULES: RulesFile[] = [
  {
    name: "measure-test.yaml",
    content: [
      "- rule: Stop",
      "  desc: stop",
      "  condition: ct.name = StopLogging",
      "  output: stop %ct.id",
      "  priority: WARNING",
      "  source: aws_cloudtrail",
      "- rule: Listing",
      "  desc: listing",
      "  condition: ct.name = ListBuckets",
      "  output: list %ct.id",
      "  priority: NOTICE",
      "  source: aws_cloudtrail",
      "  suppress: {window: 1h, group_by: [ct.user.arn]}",
      "",
    ].join("\n"),
  },
];

function rec(id: string, name: string, time: string, arn = "arn:aws:iam::111122223333:user/alice", agent = "aws-cli/2.15.0"): CloudTrailRecord {
  return { eventVersion: "1.09", eventID: id, eventName: name, eventTime: time, eventSource: "cloudtrail.amazonaws.com", eventType: "AwsApiCall", userAgent: agent, userIdentity: { type: "IAMUser", arn } };
}

describe("Panther event normalisation", () => {
  it("rewrites Panther's space-separated times as RFC 3339 UTC", () => {
    expect(normalisePantherEvent({ eventTime: "2021-05-20 15:53:47Z", eventType: "AwsApiCall" })).toEqual({
      record: { eventTime: "2021-05-20T15:53:47Z", eventType: "AwsApiCall" },
      changes: ["eventTime as RFC 3339"],
    });
    expect(normalisePantherEvent({ eventTime: "2021-05-20 15:53:47.123", eventType: "AwsApiCall" }).record.eventTime).toBe("2021-05-20T15:53:47.123Z");
  });

  it("leaves RFC 3339 times alone and fills what the engine needs where it is missing", () => {
    expect(normalisePantherEvent({ eventTime: "2021-05-20T15:53:47Z", eventType: "AwsApiCall" }).changes).toEqual([]);
    expect(normalisePantherEvent({ eventTime: "redacted" })).toEqual({
      record: { eventTime: PLACEHOLDER_TIME, eventType: "AwsApiCall" },
      changes: ["placeholder eventTime", "eventType AwsApiCall"],
    });
  });

  it("counts a test as agreeing when a mapped rule alerts exactly when Panther expects", async () => {
    const tests = [
      { ruleId: "P.Stopped", testName: "stopped", expected: true, hasMocks: false, log: { eventName: "StopLogging", eventTime: "2021-05-20 15:53:47Z" } },
      { ruleId: "P.Stopped", testName: "started", expected: false, hasMocks: false, log: { eventName: "StartLogging", eventTime: "2021-05-20 15:53:47Z" } },
      { ruleId: "P.Stopped", testName: "odd", expected: true, hasMocks: true, log: { eventName: "Other", eventTime: "2021-05-20 15:53:47Z" } },
    ];
    const result = await measurePantherAgreement(tests, (r) => firesOn("StopLogging", "Logging Stopped", [])([r])[0], [{ panther: "P.Stopped", ours: ["Logging Stopped"] }]);
    expect(result).toMatchObject({ tests: 3, agree: 2, normalised: { "eventTime as RFC 3339": 3, "eventType AwsApiCall": 3 } });
    expect(result.rows[0].disagreements).toEqual([{ test: "odd", expected: true, got: false, hasMocks: true, firedRules: [] }]);
  });
});

describe("zip archives", () => {
  /** A one-entry zip written by hand: local header, data, central directory, end record. */
  function zipOf(name: string, content: string, method: 0 | 8): Buffer {
    const raw = Buffer.from(content);
    const data = method === 8 ? deflateRawSync(raw) : raw;
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(0, 42);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(46 + n.length, 12);
    end.writeUInt32LE(30 + n.length + data.length, 16);
    return Buffer.concat([local, n, data, central, n, end]);
  }

  it("reads deflated and stored entries", () => {
    expect(unzip(zipOf("a.json", '{"eventID":"x"}\n', 8)).get("a.json")?.toString()).toBe('{"eventID":"x"}\n');
    expect(unzip(zipOf("b.json", "stored", 0)).get("b.json")?.toString()).toBe("stored");
  });

  it("refuses what is not a zip archive", () => {
    expect(() => unzip(Buffer.from("not a zip"))).toThrow(/not a zip archive/);
  });
});

describe("fetching a source", () => {
  /** A git repository with two commits; the source pins the first. */
  function repo(): { gitDir: string; first: string } {
    const dir = tmp();
    const run = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
    run("init", "-q");
    fs.mkdirSync(path.join(dir, "events", "S3"), { recursive: true });
    fs.writeFileSync(path.join(dir, "events", "S3", "A.json.cloudtrail"), '[{"eventID":"a"}]');
    fs.writeFileSync(path.join(dir, "events", "S3", "A.json"), "{}");
    fs.writeFileSync(path.join(dir, "README.md"), "x");
    run("add", ".");
    run("commit", "-qm", "one");
    const first = run("rev-parse", "HEAD").toString().trim();
    fs.writeFileSync(path.join(dir, "events", "S3", "A.json.cloudtrail"), '[{"eventID":"changed"}]');
    run("commit", "-qam", "two");
    return { gitDir: path.join(dir, ".git"), first };
  }

  const source = (commit: string, digest = ""): Source => ({ id: "demo", repo: "o/n", commit, licence: "MIT", select: { under: "events/", endsWith: ".json.cloudtrail" }, digest, about: "" });

  it("selects files by folder and ending, or by exact path", () => {
    expect(selects(source("c"), "events/S3/A.json.cloudtrail")).toBe(true);
    expect(selects(source("c"), "events/S3/A.json")).toBe(false);
    expect(selects({ ...source("c"), select: { paths: ["x/y.zip"] } }, "x/y.zip")).toBe(true);
  });

  it("extracts the pinned commit's files byte for byte, with a digest sha256sum agrees with", () => {
    const { gitDir, first } = repo();
    const datasets = tmp();
    const { files, digest } = extractSource(gitDir, source(first), datasets);
    expect(files).toBe(1);
    expect(fs.readFileSync(path.join(datasets, "demo", "events", "S3", "A.json.cloudtrail"), "utf8")).toBe('[{"eventID":"a"}]');
    expect(manifestDigest(path.join(datasets, "demo"), ["events/S3/A.json.cloudtrail"])).toBe(digest);
    const sums = execFileSync("sh", ["-c", "find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum"], { cwd: path.join(datasets, "demo") }).toString();
    expect(sums.split(" ")[0]).toBe(digest);
    expect(sourceStatus(datasets, source(first, digest))).toBe("ok");
    expect(sourceStatus(datasets, source(first, "0".repeat(64)))).toBe("changed");
    expect(sourceStatus(tmp(), source(first, digest))).toBe("absent");
  });

  it("pins every catalogue source to a full commit and a digest", () => {
    for (const s of SOURCES) expect([s.id, /^[0-9a-f]{40}$/.test(s.commit), /^[0-9a-f]{64}$/.test(s.digest)]).toEqual([s.id, true, true]);
  });
});

describe("label files", () => {
  const good = "dataset: d\nattacker:\n  how: the user agent\n  match: {userAgent: evil}\nactions:\n  - action: defense-evasion.logging-stopped\n    note: StopLogging\n    events: [e1]\n";

  it("name attacker actions of the catalogue, and eventIDs", () => {
    const labels = parseLabels("l.yaml", good);
    expect(labels.actions).toEqual([{ action: "defense-evasion.logging-stopped", note: "StopLogging", events: ["e1"] }]);
    expect(() => parseLabels("l.yaml", good.replace("defense-evasion.logging-stopped", "made.up"))).toThrow(/l.yaml: actions\[0\]\.action 'made.up' is not an attacker action/);
    expect(() => parseLabels("l.yaml", good.replace("events: [e1]", "events: []"))).toThrow(/actions\[0\]\.events/);
    expect(() => parseLabels("l.yaml", good.replace("  how: the user agent\n", ""))).toThrow(/attacker.how/);
  });

  it("tell the attacker's records by a matched field or a listed eventID", () => {
    const isAttacker = attackerRecords(parseLabels("l.yaml", good));
    expect(isAttacker(rec("zz", "X", "2024-01-01T00:00:00Z", "arn", "evil-tool/1"))).toBe(true);
    expect(isAttacker(rec("e1", "X", "2024-01-01T00:00:00Z"))).toBe(true);
    expect(isAttacker(rec("zz", "X", "2024-01-01T00:00:00Z"))).toBe(false);
  });

  it("in the repository parse, each for a data set of the catalogue", () => {
    for (const d of DATASETS.filter((x) => x.labels)) expect(readLabels(d.labels as string).dataset).toBe(d.id.replace(/-(twice|as-delivered)$/, ""));
    expect(new Set(ACTIONS.map((a) => a.id)).size).toBe(ACTIONS.length);
  });
});

describe("measuring a data set", () => {
  const dataset = DATASETS.find((d) => d.id === "cloud-bank-breach")!;
  const labels = parseLabels("l.yaml", "dataset: cloud-bank-breach\nattacker:\n  how: mallory\n  match: {principalArn: mallory}\nactions:\n  - action: defense-evasion.logging-stopped\n    note: stop\n    events: [s1]\n  - action: discovery.fresh-key-recon\n    note: list\n    events: [l2]\n  - action: discovery.denied-enumeration\n    note: nothing fires\n    events: [n1]\n");
  const mallory = "arn:aws:iam::111122223333:user/mallory";
  const records = [
    rec("l2", "ListBuckets", "2024-01-01T00:02:00Z", mallory),
    rec("s1", "StopLogging", "2024-01-01T00:03:00Z", mallory),
    rec("l1", "ListBuckets", "2024-01-01T00:01:00Z", mallory),
    rec("n1", "GetCallerIdentity", "2024-01-01T00:00:00Z", mallory),
    rec("b1", "StopLogging", "2024-01-01T00:05:00Z"),
    rec("b2", "DescribeTrails", "2024-01-01T00:06:00Z"),
  ];

  it("counts an action detected when a Notice+ alert raised on it or counted it into its episode", async () => {
    const o = await measureRecords(dataset, records, labels, RULES);
    expect(o.actions).toEqual([
      { action: "defense-evasion.logging-stopped", note: "stop", detected: true, rules: ["Stop"] },
      { action: "discovery.fresh-key-recon", note: "list", detected: true, rules: ["Listing"] },
      { action: "discovery.denied-enumeration", note: "nothing fires", detected: false, rules: [] },
    ]);
    expect(o).toMatchObject({ records: 6, attackerRecords: 4, benignRecords: 2, unknownEvents: [] });
  });

  it("counts Warning+ alerts on the other records as noise, per 1,000 of them", async () => {
    const o = await measureRecords(dataset, records, labels, RULES);
    expect(o.noise).toEqual([{ rule: "Stop", priority: "Warning", example: "StopLogging by IAMUser via aws-cli" }]);
    expect(noiseRate(o)).toBe(500);
  });

  it("delivers every record twice when asked, as two trails do, and reports labels that name no record", async () => {
    expect(deliveredTwice([records[0]]).map((r) => r.eventID)).toEqual(["l2", "l2"]);
    expect(inTimeOrder(records).map((r) => r.eventID)).toEqual(["n1", "l1", "l2", "s1", "b1", "b2"]);
    const missing = parseLabels("l.yaml", "dataset: x\nattacker:\n  how: h\nactions:\n  - action: impact.ransom-note\n    note: n\n    events: [nope]\n");
    expect((await measureRecords(dataset, records, missing, RULES)).unknownEvents).toEqual(["nope"]);
  });

  it("feeds a file-order variant as the files hold the records, the others by event time", () => {
    const asRead = records.map((r) => r.eventID);
    const asDelivered = DATASETS.find((d) => d.id === "cloud-bank-breach-as-delivered")!;
    expect(deliveryOrder(asDelivered, records).map((r) => r.eventID)).toEqual(asRead);
    expect(deliveryOrder(dataset, records).map((r) => r.eventID)).toEqual(["n1", "l1", "l2", "s1", "b1", "b2"]);
    expect(deliveryOrder({ ...asDelivered, deliveredTwice: true }, records.slice(0, 2)).map((r) => r.eventID)).toEqual(["l2", "l2", "s1", "s1"]);
  });

  it("counts a variant's records once, and says when it raises more alerts than its original", async () => {
    const original = await measureRecords(dataset, records, labels, RULES);
    const twice = DATASETS.find((d) => d.id === "cloud-bank-breach-twice")!;
    const same = { ...original, dataset: twice };
    expect(splitSummary([original, same], "heldout")).toMatch(/; 1 Warning\+ alert\(s\) on 2 other records \(500\.00 per 1,000; worst data set 500\.00\)\.$/);
    const more = { ...same, noise: [...original.noise!, ...original.noise!] };
    expect(splitSummary([original, more], "heldout")).toMatch(/on 2 other records .*worst data set 1000\.00\); 1 Warning\+ alert\(s\) more in the variants than in their originals\.$/);
  });

  it("says in the summary when a variant misses an action its original detects", async () => {
    const original = await measureRecords(dataset, records, labels, RULES);
    const variant = { ...original, dataset: DATASETS.find((d) => d.id === "cloud-bank-breach-as-delivered")!, actions: original.actions!.map((a) => ({ ...a, detected: false, rules: [] })) };
    expect(splitSummary([original], "heldout")).not.toMatch(/variants/);
    expect(splitSummary([original, variant], "heldout")).toMatch(/^Held-out sets: 2 of 3 attacker actions .*; 2 action\(s\) detected in an original but missed by its variant/);
  });

  it("reports data sets that are not on the machine as absent, not as failures", async () => {
    const empty = tmp();
    expect(datasetDir(dataset, undefined, empty)).toEqual({ reason: "not fetched (npm run datasets:fetch)" });
    const outcomes = await measureDatasets(RULES, undefined, empty);
    expect(outcomes.every((o) => o.status === "absent")).toBe(true);
    expect(coverageTable(outcomes).rows[0][2]).toMatch(/^absent: /);
    expect(splitSummary(outcomes, "heldout")).toMatch(/^Held-out sets: none on this machine/);
  });

  it("writes only between its markers", () => {
    expect(replaceMarked("a<!--b-->old<!--e-->z", "<!--b-->", "<!--e-->", "<!--b-->new<!--e-->", "f")).toBe("a<!--b-->new<!--e-->z");
    expect(() => replaceMarked("nothing", "<!--b-->", "<!--e-->", "x", "README.md")).toThrow(/README.md has no/);
  });
});

describeWithSharedData("the bundled rules on the shared data", (dir) => {
  let files: RulesFile[];
  beforeAll(async () => {
    files = await bundledRulesFiles();
  });

  it("agree with Panther's labelled tests for the rules that mean the same, every disagreement explained", async () => {
    const result = await measurePantherAgreement(pantherTests(dir), singleRecordEvaluator(files));
    expect(result.tests).toBeGreaterThan(50);
    const unexplained = result.rows.flatMap((row) => row.disagreements.filter((d) => !d.explanation).map((d) => `${row.mapping.panther}: ${d.test}`));
    expect(unexplained).toEqual([]);
  });

  it("label files name only records that are in their data sets", async () => {
    for (const d of DATASETS.filter((x) => "shared" in x.from && x.labels && !isVariant(x))) {
      const o = await measureRecords(d, d.read(dir), readLabels(d.labels as string), files);
      expect([d.id, o.unknownEvents]).toEqual([d.id, []]);
    }
  });
});
