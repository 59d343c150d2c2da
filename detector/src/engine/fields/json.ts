import type { EventContext } from "../event";
import { exactJsonText } from "../json/jsonText";
import { FieldDef, Json, member } from "./types";

/**
 * The json plugin's fields over the CloudTrail record: `json.value[<pointer>]`, `json.obj`,
 * `json.rawtime`, and the `jevt.*` aliases (for us, the same modern semantics: a missing value is
 * missing, not the legacy `<NA>` string).
 */

/** RFC 6901 pointer steps; the leading `/` is optional. An empty argument selects the whole record. */
export function pointerSteps(arg: string): string[] | undefined {
  if (arg.length === 0) return undefined;
  const body = arg[0] === "/" ? arg.slice(1) : arg;
  return body.split("/").map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** One pointer step, as fastjson's Get: object key, or a decimal array index. */
function step(v: Json, key: string): Json {
  if (Array.isArray(v)) {
    if (!/^[+-]?\d+$/.test(key)) return undefined;
    const i = Number(key);
    return i >= 0 && i < v.length ? v[i] : undefined;
  }
  return member(v, key);
}

function valueField(name: string): FieldDef {
  return {
    name,
    type: "string",
    arg: "key-required",
    desc: "the value at a JSON pointer in the record (strings raw, anything else as JSON)",
    bind(arg) {
      const steps = pointerSteps(arg ?? "") ?? [];
      const at = (root: Json): Json => {
        let v = root;
        for (let i = 0; i < steps.length; i++) {
          v = step(v, steps[i]);
          if (v === undefined) return undefined;
        }
        return v;
      };
      return (ev: EventContext) => {
        const v = at(ev.record);
        if (v === undefined || typeof v === "string") return v;
        // Anything else prints as JSON, with numbers as the record wrote them.
        return exactJsonText(v, () => at(ev.exact), 0, (n) => ev.numberMayDiffer(n));
      };
    },
  };
}

function objField(name: string): FieldDef {
  return {
    name,
    type: "string",
    arg: "none",
    desc: "the whole record as indented JSON",
    bind: () => (ev) => ev.memoize("json.obj", () => exactJsonText(ev.record, () => ev.exact, 2, (n) => ev.numberMayDiffer(n))),
  };
}

function rawtimeField(name: string): FieldDef {
  return {
    name,
    type: "string",
    arg: "none",
    desc: "the event time in nanoseconds, as a string",
    bind: () => (ev) => ev.timeNs.toString(),
  };
}

export const JSON_FIELDS: FieldDef[] = [
  valueField("json.value"),
  objField("json.obj"),
  rawtimeField("json.rawtime"),
  valueField("jevt.value"),
  objField("jevt.obj"),
  rawtimeField("jevt.rawtime"),
];
