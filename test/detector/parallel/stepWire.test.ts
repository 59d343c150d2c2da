import { packSteps, unpackSteps } from "../../../detector/src/parallel/stepWire";
import type { Step } from "../../../detector/src/stateful/plan";

/**
 * Steps cross from a worker to the main thread packed: what arrives is what was sent, field for
 * field, and a group key repeated across a file's matches crosses once.
 */

const group = JSON.stringify(["arn:aws:sts::123456789012:assumed-role/web/web-1", "data-lake"]);
const ids = ["e-0", "e-1", null, "e-3"];

const steps: Step[] = [
  { rule: 0, pos: [0, 0], t: 1714533540000000, id: "e-0", src: 0, th: group, v: "reports/2024/a.parquet", s: group, marks: [group] },
  { rule: 0, pos: [1, 0], t: 1714533541000000, id: "e-1", src: 1, th: group, v: null, s: group, marks: [group, "[\"other\"]"] },
  // A record without an eventID has a hashed event key, which crosses as itself.
  { rule: 2, pos: [2, 1], t: 1714533542000001, id: "h0123456789abcdef", src: 2, q: group, rec: '{"eventName":"DeleteObject"}' },
  // A rule that only marks for its followers: no threshold, suppression or sequence fields.
  { rule: 3, pos: [3, 0], t: 0, id: "e-3", src: 3, marks: [] },
];

// The messages cross by structured clone, as postMessage does.
const crossed = (value: unknown) => structuredClone(value);

test("steps arrive field for field as they were made", () => {
  const back = unpackSteps(crossed(packSteps(steps, ids)) as ReturnType<typeof packSteps>, ids);
  expect(back).toEqual(steps);
  // Absent fields stay absent, not undefined-valued: the state tells steps apart by what they have.
  expect(Object.keys(back[3]).sort()).toEqual(["id", "marks", "pos", "rule", "src", "t"]);
  expect("v" in back[1] && back[1].v).toBeNull();
});

test("each distinct string crosses once, and the record's eventID not at all", () => {
  const packed = packSteps(steps, ids);
  expect(packed.strings.filter((s) => s === group)).toHaveLength(1);
  expect(packed.strings).not.toContain("e-0");
  expect(packed.strings).toContain("h0123456789abcdef");
  // The rebuilt steps share the one string, and take the eventID from the result's ids.
  const back = unpackSteps(packed, ids);
  expect(back[0].th).toBe(back[1].s);
  expect(back[0].id).toBe(ids[0]);
});

test("event times keep their microseconds", () => {
  const late = [{ ...steps[0], t: 4102444799999999 }];
  expect(unpackSteps(packSteps(late, ids), ids)[0].t).toBe(4102444799999999);
});

test("a step that is not a worker's is refused, not sent half", () => {
  expect(() => packSteps([{ ...steps[2], rec: () => "{}" }], ids)).toThrow(/record made/);
  expect(() => packSteps([{ ...steps[0], src: { alert: () => undefined } }], ids)).toThrow(/numbered match/);
});

test("no steps pack to nothing", () => {
  expect(unpackSteps(packSteps([], ids), ids)).toEqual([]);
});
