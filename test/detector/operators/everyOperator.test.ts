import { OPERATORS } from "../../../detector/src/engine/condition/parser";
import { load, matches, rule } from "../../support/engine";
import { baseEvent } from "../../support/events";

/**
 * Every comparison operator, each with values it must match and values it must not: an operator
 * that behaves like another one (an `endswith` that is a `contains`, a `startswith` that ignores
 * the start) fails here. E1 is a CreateBucket by IAM user Alice; E4 a GetObject of
 * logs/2024/app.log (2048 bytes out); E5 a RunInstances of images ami-111 and ami-222.
 */

const E1 = baseEvent("E1");
const E4 = baseEvent("E4");
const E5 = baseEvent("E5");
const NAMES = new Map<object, string>([
  [E1, "E1"],
  [E4, "E4"],
  [E5, "E5"],
]);

type Case = [condition: string, event: object, expected: boolean];

const CASES: Record<string, Case[]> = {
  "=": [
    ["ct.name = CreateBucket", E1, true],
    ["ct.name = CreateBucke", E1, false],
    ["ct.name = createbucket", E1, false],
    ["s3.bytes.out = 2048", E4, true],
    ["s3.bytes.out = 2049", E4, false],
  ],
  "==": [
    ["ct.name == CreateBucket", E1, true],
    ["ct.name == CreateBucketX", E1, false],
  ],
  "!=": [
    ["ct.name != DeleteBucket", E1, true],
    ["ct.name != CreateBucket", E1, false],
    ["s3.bytes.out != 1", E4, true],
    ["s3.bytes.out != 2048", E4, false],
  ],
  // On a string field the order operators compare text (strcmp): E1's account is "123456789012".
  "<": [
    ["ct.user.accountid < 9", E1, true],
    ["ct.user.accountid < 123456789012", E1, false],
    ["ct.user.accountid < 1", E1, false],
    ["s3.bytes.out < 2049", E4, true],
    ["s3.bytes.out < 2048", E4, false],
  ],
  "<=": [
    ["ct.user.accountid <= 123456789012", E1, true],
    ["ct.user.accountid <= 12345", E1, false],
    ["s3.bytes.out <= 2048", E4, true],
    ["s3.bytes.out <= 2047", E4, false],
  ],
  ">": [
    ["ct.user.accountid > 12", E1, true],
    ["ct.user.accountid > 123456789012", E1, false],
    ["s3.bytes.out > 2047", E4, true],
    ["s3.bytes.out > 2048", E4, false],
  ],
  ">=": [
    ["ct.user.accountid >= 123456789012", E1, true],
    ["ct.user.accountid >= 9", E1, false],
    ["s3.bytes.out >= 2048", E4, true],
    ["s3.bytes.out >= 2049", E4, false],
  ],
  contains: [
    ["ct.name contains eateBu", E1, true],
    ["ct.name contains Create", E1, true],
    ["ct.name contains Bucket", E1, true],
    ["ct.name contains eatebu", E1, false],
    ["ct.name contains BucketX", E1, false],
  ],
  icontains: [
    ["ct.name icontains EATEbU", E1, true],
    ["ct.name icontains createbucket", E1, true],
    ["ct.name icontains createbuckets", E1, false],
    ["ct.name icontains delete", E1, false],
  ],
  startswith: [
    ["ct.name startswith Create", E1, true],
    ["ct.name startswith CreateBucket", E1, true],
    ['ct.name startswith ""', E1, true],
    ["ct.name startswith Bucket", E1, false],
    ["ct.name startswith eate", E1, false],
    ["ct.name startswith create", E1, false],
    ["ct.name startswith CreateBucketX", E1, false],
  ],
  endswith: [
    ["ct.name endswith Bucket", E1, true],
    ["ct.name endswith CreateBucket", E1, true],
    ['ct.name endswith ""', E1, true],
    ["ct.name endswith Create", E1, false],
    ["ct.name endswith eateBu", E1, false],
    ["ct.name endswith bucket", E1, false],
    ["ct.name endswith XCreateBucket", E1, false],
  ],
  glob: [
    ["ct.name glob Create*", E1, true],
    ["ct.name glob *Bucket", E1, true],
    ["ct.name glob *eate*", E1, true],
    ["ct.name glob C?eateBucket", E1, true],
    ["ct.name glob C[a-z]eate*", E1, true],
    ["ct.name glob Create", E1, false],
    ["ct.name glob *Create", E1, false],
    ["ct.name glob Bucket*", E1, false],
    ["ct.name glob create*", E1, false],
    ["ct.name glob C[!r]*", E1, false],
    ["ct.name glob C?Bucket", E1, false],
    ["s3.key glob logs*app.log", E4, true],
    ["s3.key glob logs/*/app.log", E4, true],
    ["s3.key glob logs/*/*/app.log", E4, false],
  ],
  iglob: [
    ["ct.name iglob create*", E1, true],
    ["ct.name iglob *BUCKET", E1, true],
    ["ct.name iglob [c]REATE*", E1, true],
    ["ct.name iglob delete*", E1, false],
    ["ct.name iglob *buckets", E1, false],
  ],
  regex: [
    ["ct.name regex Create.*", E1, true],
    ["ct.name regex '[A-Z][a-z]+Bucket'", E1, true],
    ["ct.name regex '(Create|Delete)Bucket'", E1, true],
    ["ct.name regex Create", E1, false],
    ["ct.name regex Bucket", E1, false],
    ["ct.name regex 'Create|Delete'", E1, false],
    ["ct.name regex '[a-z]+'", E1, false],
  ],
  in: [
    ["ct.name in (A, CreateBucket)", E1, true],
    ["ct.name in (CreateBucke, CreateBuckets, createbucket)", E1, false],
    ["ct.name in ()", E1, false],
    ["s3.bytes.out in (1, 2048)", E4, true],
    ["s3.bytes.out in (1, 2)", E4, false],
    ["ec2.imageids in (ami-111, ami-222, ami-333)", E5, true],
    ["ec2.imageids in (ami-111)", E5, false],
  ],
  intersects: [
    ["ct.name intersects (CreateBucket)", E1, true],
    ["ct.name intersects (DeleteBucket)", E1, false],
    ["ec2.imageids intersects (ami-222, ami-999)", E5, true],
    ["ec2.imageids intersects (ami-999)", E5, false],
  ],
  pmatch: [
    ["s3.key pmatch (logs/2024)", E4, true],
    ["s3.key pmatch (/logs/2024/)", E4, true],
    ["s3.key pmatch (/logs/20*/app.log)", E4, true],
    ["s3.key pmatch (/other, /logs)", E4, true],
    ["s3.key pmatch (log)", E4, false],
    ["s3.key pmatch (/logs/2024/app.log/more)", E4, false],
    ["s3.key pmatch (/logs/2023)", E4, false],
    ["s3.key pmatch (2024)", E4, false],
  ],
  exists: [
    ["s3.key exists", E4, true],
    ["s3.key exists", E1, false],
    ["ct.error exists", E1, false],
  ],
};

/** Byte-buffer operators: no CloudTrail field is a byte buffer, so they are load errors. */
const REFUSED = ["bcontains", "bstartswith"];

describe("every operator matches what it must and nothing else", () => {
  it("covers every operator of the language", () => {
    expect([...Object.keys(CASES), ...REFUSED].sort()).toEqual([...OPERATORS].sort());
  });

  it.each(Object.entries(CASES).flatMap(([op, cases]) => cases.map(([cond, event, expected]) => [op, cond, NAMES.get(event), expected, event] as const)))(
    "%s: %s on %s is %s",
    (_op, cond, _name, expected, event) => {
      expect(matches(cond, event)).toBe(expected);
    },
  );

  it.each(REFUSED)("%s is refused on string fields", (op) => {
    const r = load([rule(`ct.name ${op} 41`)]);
    expect(r.errors[0]?.message).toBe(`'${op}' operator not supported for string filters`);
  });

  it("has cases that must not match for every operator", () => {
    for (const [op, cases] of Object.entries(CASES)) {
      expect([op, cases.some(([, , e]) => e === false)]).toEqual([op, true]);
      expect([op, cases.some(([, , e]) => e === true)]).toEqual([op, true]);
    }
  });
});
