import type { EventContext } from "../event";
import { iso8601, localDateTime, localTime } from "../time";
import { ctInfo, shortSource, userIdentity } from "./cloudtrail";
import { FieldDef, FieldType, FieldValue } from "./types";

/** Generic `evt.*` fields, as libsinsp gives them for events of the cloudtrail plugin. */

const NS = 1_000_000_000n;

function gen(name: string, type: FieldType, desc: string, get: (ev: EventContext) => FieldValue | undefined, padded = false): FieldDef {
  return { name, type, arg: "none", desc, bind: () => get, ...(padded ? { padded: true } : {}) };
}

function relTime(ev: EventContext): bigint {
  const first = ev.run.firstTimeNs ?? ev.timeNs;
  const d = ev.timeNs - first;
  return d < 0n ? 0n : d;
}

/** `evt.plugininfo`: the plugin's one-line rendering, or missing when the record lacks its parts. */
export function pluginInfo(record: Record<string, unknown>): string | undefined {
  const { eventSource, awsRegion, eventName } = record;
  if (typeof eventSource !== "string" || typeof awsRegion !== "string" || typeof eventName !== "string") return undefined;
  const u = userIdentity(record);
  const user = u.present && u.text !== "" ? " " + u.text : u.text;
  return `${awsRegion}${user} ${shortSource(eventSource)} ${eventName} ${ctInfo(record)}`;
}

export const EVENT_FIELDS: FieldDef[] = [
  gen("evt.num", "uint64", "the event's sequence number (the first is 1)", (ev) => ev.num),
  gen("evt.time", "string", "event time, local HH:MM:SS.nnnnnnnnn", (ev) => localTime(ev.timeNs)),
  gen("evt.time.s", "string", "event time, local HH:MM:SS", (ev) => localTime(ev.timeNs, false)),
  gen("evt.time.iso8601", "string", "event time, ISO 8601 UTC with nanoseconds", (ev) => iso8601(ev.timeNs)),
  gen("evt.datetime", "string", "event date and time, local, with nanoseconds", (ev) => localDateTime(ev.timeNs)),
  gen("evt.datetime.s", "string", "event date and time, local", (ev) => localDateTime(ev.timeNs, false)),
  gen("evt.rawtime", "uint64", "event time in nanoseconds since the epoch", (ev) => ev.timeNs),
  gen("evt.rawtime.s", "uint64", "event time in whole seconds since the epoch", (ev) => ev.timeNs / NS),
  gen("evt.rawtime.ns", "uint64", "fractional part of the event time, in nanoseconds", (ev) => ev.timeNs % NS, true),
  gen("evt.reltime", "uint64", "nanoseconds since the first event", relTime, true),
  gen("evt.reltime.s", "uint64", "seconds since the first event", (ev) => relTime(ev) / NS),
  gen("evt.reltime.ns", "uint64", "fractional part of the time since the first event", (ev) => relTime(ev) % NS, true),
  gen("evt.pluginname", "string", "the plugin that produced the event: cloudtrail", () => "cloudtrail"),
  gen("evt.plugininfo", "string", "the plugin's summary of the event", (ev) => ev.memoize("evt.plugininfo", () => pluginInfo(ev.record))),
  gen("evt.source", "string", "the event source: aws_cloudtrail", () => "aws_cloudtrail"),
  gen("evt.is_async", "bool", "always false for CloudTrail events", () => false),
  gen("evt.asynctype", "string", "missing: CloudTrail events are not asynchronous", () => undefined),
  gen("evt.hostname", "string", "the host name of the detector", (ev) => ev.run.hostname),
];
