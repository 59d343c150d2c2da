import { createHash } from "node:crypto";
import type { EventContext } from "./event";
import { jsonText } from "./json/jsonText";
import type { CompiledRule } from "./loader/compiler";
import { renderOutput } from "./output";
import { iso8601, isoUtc, localTime } from "./time";
import type { Alert, OutputValue } from "./types";

export type TimeFormat = "iso8601" | "local";

/**
 * A stable alert id: the same event and rule always give the same id, so a redelivered record
 * updates a finding instead of adding one. Records without an eventID are keyed by their content.
 */
export function alertId(record: Record<string, unknown>, rule: string): string {
  const key = typeof record.eventID === "string" ? record.eventID : jsonText(record);
  return createHash("sha256").update(key).update("\0").update(rule).digest("hex").slice(0, 40);
}

export function buildAlert(rule: CompiledRule, ev: EventContext, timeFormat: TimeFormat): Alert {
  const { text, fields } = renderOutput(rule.output, ev);
  const ns = ev.timeNs;
  const iso = timeFormat === "iso8601";
  fields[iso ? "evt.time.iso8601" : "evt.time"] = ns;
  return {
    id: alertId(ev.record, rule.name),
    rule: rule.name,
    desc: rule.desc,
    priority: rule.priority,
    source: rule.source,
    tags: rule.tags,
    time: isoUtc(ns),
    timeNs: ns,
    message: text,
    output: `${iso ? iso8601(ns) : localTime(ns)}: ${rule.priority} ${text}`,
    outputFields: fields,
    hostname: ev.run.hostname,
    event: ev.record,
  };
}

/**
 * Falco's JSON alert, keys sorted as Falco prints them; uint64 values are exact JSON integers.
 * Alerts of stateful rules add one key Falco does not have, `details` (counts, times, groups),
 * last; consumers of Falco alerts ignore keys they do not know.
 */
export function falcoJson(alert: Alert): string {
  const fields = Object.keys(alert.outputFields)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${valueJson(alert.outputFields[k])}`)
    .join(",");
  return (
    `{"hostname":${JSON.stringify(alert.hostname)},"output":${JSON.stringify(alert.output)},"output_fields":{${fields}},` +
    `"priority":${JSON.stringify(alert.priority)},"rule":${JSON.stringify(alert.rule)},"source":${JSON.stringify(alert.source)},` +
    `"tags":${JSON.stringify(alert.tags)},"time":${JSON.stringify(alert.time)}` +
    (alert.details ? `,"details":${JSON.stringify(alert.details)}}` : "}")
  );
}

function valueJson(v: OutputValue): string {
  return typeof v === "bigint" ? v.toString() : JSON.stringify(v);
}
