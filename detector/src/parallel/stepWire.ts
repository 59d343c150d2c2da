import type { Step } from "../stateful/plan";

/**
 * Steps as they cross from a worker to the main thread. A busy file's matches repeat a few group
 * keys hundreds of times, and a step's event key is its record's eventID, already in the result;
 * cloned as objects, each copy is a new string that one thread writes and the other reads, keeps
 * until the file is folded, and collects. Packed, each distinct string crosses once, the numbers
 * travel in typed arrays, and the steps rebuilt on the main thread share their strings.
 */
export interface PackedSteps {
  /** Each distinct string of the steps, once. */
  strings: string[];
  /** FIELDS numbers per step: rule, pos[0], pos[1], src, then id, q, th, s, v as references (see ref). */
  ints: Int32Array;
  /** Event times, microseconds. */
  times: Float64Array;
  /** Per step: its number of marks (-1: none), then a reference per mark. */
  marks: Int32Array;
  /** The record kept with each step (sequence rules), null when none. */
  recs: (string | null)[];
}

const FIELDS = 9;
/** References: an index in `strings`, or one of these. */
const ABSENT = -1;
const NULL = -2;
/** The step's event key is its record's eventID (`ids[pos[0]]`). */
const RECORD_ID = -3;

export function packSteps(steps: readonly Step[], ids: readonly (string | null)[]): PackedSteps {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const ref = (s: string | null | undefined): number => {
    if (s === undefined) return ABSENT;
    if (s === null) return NULL;
    let i = index.get(s);
    if (i === undefined) {
      i = strings.push(s) - 1;
      index.set(s, i);
    }
    return i;
  };
  const ints = new Int32Array(steps.length * FIELDS);
  const times = new Float64Array(steps.length);
  const marks: number[] = [];
  const recs: (string | null)[] = [];
  steps.forEach((step, k) => {
    if (step.pos.length !== 2 || typeof step.src !== "number") throw new Error("a worker's step has a position of two numbers and a numbered match");
    if (typeof step.rec === "function") throw new Error("a worker's step carries its record made, not to be made");
    const o = k * FIELDS;
    ints[o] = step.rule;
    ints[o + 1] = step.pos[0];
    ints[o + 2] = step.pos[1];
    ints[o + 3] = step.src;
    ints[o + 4] = step.id === ids[step.pos[0]] ? RECORD_ID : ref(step.id);
    ints[o + 5] = ref(step.q);
    ints[o + 6] = ref(step.th);
    ints[o + 7] = ref(step.s);
    ints[o + 8] = ref(step.v);
    times[k] = step.t;
    if (step.marks) {
      marks.push(step.marks.length);
      for (const m of step.marks) marks.push(ref(m));
    } else marks.push(-1);
    recs.push(step.rec ?? null);
  });
  return { strings, ints, times, marks: Int32Array.from(marks), recs };
}

export function unpackSteps(packed: PackedSteps, ids: readonly (string | null)[]): Step[] {
  const { strings, ints, times, marks, recs } = packed;
  const text = (r: number): string | null | undefined => (r === ABSENT ? undefined : r === NULL ? null : strings[r]);
  const steps: Step[] = new Array(times.length);
  let m = 0;
  for (let k = 0; k < times.length; k++) {
    const o = k * FIELDS;
    const pos0 = ints[o + 1];
    const id = ints[o + 4] === RECORD_ID ? ids[pos0] : strings[ints[o + 4]];
    if (typeof id !== "string") throw new Error(`a packed step's event key is missing (step ${k})`);
    const step: Step = { rule: ints[o], pos: [pos0, ints[o + 2]], t: times[k], id, src: ints[o + 3] };
    const q = text(ints[o + 5]);
    if (typeof q === "string") step.q = q;
    const th = text(ints[o + 6]);
    if (typeof th === "string") step.th = th;
    const s = text(ints[o + 7]);
    if (typeof s === "string") step.s = s;
    const v = text(ints[o + 8]);
    if (v !== undefined) step.v = v;
    const count = marks[m++];
    if (count >= 0) {
      const list: string[] = new Array(count);
      for (let j = 0; j < count; j++) list[j] = strings[marks[m++]];
      step.marks = list;
    }
    const rec = recs[k];
    if (rec !== null) step.rec = rec;
    steps[k] = step;
  }
  return steps;
}
