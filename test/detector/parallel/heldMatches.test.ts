import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import type { Alert, WatchedMatch } from "../../../detector/src/engine";
import { FileEvaluator } from "../../../detector/src/parallel/fileEvaluation";
import { HeldMatches } from "../../../detector/src/parallel/heldMatches";
import { s3, statefulRule, statefulRules } from "../../support/stateful";

/**
 * A worker holds a file's stateful matches as their rule and record number, with the file's text,
 * and builds the alerts the state asks for from the records found again: each alert is the one the
 * match itself would have built, numbers as written included, whatever form the input has.
 */

const stateful = statefulRules([
  statefulRule("Deletions", "ct.name = DeleteObject", { threshold: { count: 2, window: "1h", group_by: ["ct.user"] } }, { output: "deleted %s3.key by %ct.user with %ct.request (size %json.value[/requestParameters/size])" }),
  statefulRule("Reads", "ct.name = GetObject", { suppress: { window: "1h", group_by: ["ct.user"] } }),
]);
const { ruleset, plan } = stateful;
const evaluator = new FileEvaluator(ruleset, plan, { wholeBytes: 8 * 1024 * 1024 });
const dir = mkdtempSync(path.join(tmpdir(), "s3guard-held-"));

// Numbers JavaScript would print otherwise (1.0, a 20-digit integer) make the exact record matter.
const records = [
  s3({ name: "DeleteObject", key: "a.csv", user: "mallory", extra: { requestParameters: { bucketName: "b", key: "a.csv", size: 1.0, version: 12345678901234567890 } } }),
  s3({ name: "GetObject", key: "b.csv", user: "trent" }),
  s3({ name: "PutObject", key: "c.csv" }),
  s3({ name: "DeleteObject", key: "d.csv", user: "peggy", extra: { requestParameters: { bucketName: "b", key: "d.csv", size: 2.50 } } }),
];
const withNumbersAsWritten = (json: string) => json.replace('"size":1,', '"size":1.0,').replace('"version":12345678901234567000', '"version":12345678901234567890').replace('"size":2.5', '"size":2.50');

const inputs: Record<string, string> = {
  "CloudTrail file, gzip": withNumbersAsWritten(JSON.stringify({ Records: records })),
  "lookup-events output": JSON.stringify({ Events: records.map((r) => ({ EventId: r.eventID, CloudTrailEvent: withNumbersAsWritten(JSON.stringify(r)) })) }),
  "JSON Lines": records.map((r) => withNumbersAsWritten(JSON.stringify(r))).join("\n"),
};

/** The alerts of every held match: as the matches build them, and as HeldMatches builds them. */
async function bothWays(name: string, text: string): Promise<{ direct: Alert[]; held: Alert[] }> {
  const file = path.join(dir, name.replace(/\W+/g, "-") + (name.includes("gzip") ? ".json.gz" : ".json"));
  writeFileSync(file, name.includes("gzip") ? gzipSync(text) : text);
  const job = { type: "file" as const, job: 1, path: file, learned: [] };
  const matches: WatchedMatch[] = [];
  await evaluator.evaluate(job, (w) => matches.push(w), true);
  const held = new HeldMatches(ruleset);
  const handles: number[] = [];
  await evaluator.evaluate(job, (w, n) => handles.push(held.hold(w, n)), true, (t) => held.keepText(t));
  return { direct: matches.map((m) => m.alert()), held: held.alerts(handles) };
}

describe.each(Object.entries(inputs))("%s", (name, text) => {
  test("each alert is the one its match would build", async () => {
    const { direct, held } = await bothWays(name, text);
    expect(direct.map((a) => a.rule)).toEqual(["Deletions", "Reads", "Deletions"]);
    expect(held).toEqual(direct);
    expect(held[0].message).toContain('"size":1.0');
    expect(held[0].message).toContain("12345678901234567890");
    expect(held[2].message).toContain("(size 2.50)");
  });
});

test("alerts come in the order asked, a record asked twice found once", async () => {
  const { direct } = await bothWays("CloudTrail file, gzip", inputs["CloudTrail file, gzip"]);
  const held = new HeldMatches(ruleset);
  const file = path.join(dir, "order.json");
  writeFileSync(file, inputs["CloudTrail file, gzip"]);
  await evaluator.evaluate({ type: "file", job: 2, path: file, learned: [] }, (w, n) => held.hold(w, n), true, (t) => held.keepText(t));
  expect(held.alerts([2, 0, 2]).map((a) => a.message)).toEqual([direct[2].message, direct[0].message, direct[2].message]);
});

test("without the file's text, building says why instead of guessing", async () => {
  const held = new HeldMatches(ruleset);
  const file = path.join(dir, "no-text.json");
  writeFileSync(file, inputs["CloudTrail file, gzip"]);
  await evaluator.evaluate({ type: "file", job: 3, path: file, learned: [] }, (w, n) => held.hold(w, n), true);
  expect(held.size).toBe(3);
  expect(() => held.alerts([0])).toThrow(/text was not kept/);
  expect(() => held.alerts([7])).toThrow(/no held match 7/);
});
