import { createHash } from "node:crypto";
import { jsonText, type EventContext } from "../engine";
import type { FieldRef } from "./types";
import { NS_PER_SECOND } from "./window";

/**
 * How events, groups and times become state keys. Keys are ASCII, so the memory store and
 * DynamoDB (which compares UTF-8 bytes) order them the same way.
 */

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The identity of a record, for counting it once however often it is delivered: its `eventID`
 * (CloudTrail's unique id), or a hash of its content when it has none.
 */
export function eventKey(ev: EventContext): string {
  const id = ev.record.eventID;
  if (typeof id === "string" && SAFE_ID.test(id)) return id;
  // Hashed with its numbers as written, so the same record read two ways has one key.
  return "h" + sha256(typeof id === "string" ? `eventID:${id}` : jsonText(ev.exact)).slice(0, 40);
}

/** A field value as text (lists as JSON), or null when the event does not have it. */
export function fieldText(f: FieldRef, ev: EventContext): string | null {
  const v = f.operand.extract(ev);
  if (v === undefined) return null;
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return JSON.stringify(v);
  return String(v);
}

export interface Group {
  /** The values, by field text, for alert details. */
  values: Record<string, string | null>;
  /** A fixed-size key for the values. */
  hash: string;
}

const memoKeys = new WeakMap<readonly FieldRef[], string>();

/**
 * The group of an event: the values of the fields (missing values are a value of their own).
 * Kept on the event, since a rule's stages and other rules often group by the same fields.
 */
export function groupOf(fields: readonly FieldRef[], ev: EventContext): Group {
  let key = memoKeys.get(fields);
  if (key === undefined) memoKeys.set(fields, (key = `s3guard.group:${fields.map((f) => f.text).join("\0")}`));
  return ev.memoize(key, () => computeGroup(fields, ev));
}

function computeGroup(fields: readonly FieldRef[], ev: EventContext): Group {
  const values: Record<string, string | null> = {};
  const list: (string | null)[] = [];
  for (const f of fields) {
    const v = fieldText(f, ev);
    values[f.text] = v;
    list.push(v);
  }
  return { values, hash: fields.length ? sha256(JSON.stringify(list)).slice(0, 32) : "all" };
}

/** A key naming a rule's state: changing the rule's stateful keys starts it afresh. */
export function scopeOf(ruleName: string, specText: string): string {
  return sha256(`${ruleName}\0${specText}`).slice(0, 20);
}

/** Event time as a sortable 20-digit text (times before 1970 sort as 1970). */
export function timeKey(ns: bigint): string {
  return (ns < 0n ? 0n : ns).toString().padStart(20, "0");
}

/** Epoch seconds, rounded up, of a time in nanoseconds. */
export function secondsCeil(ns: bigint): number {
  if (ns <= 0n) return 0;
  return Number((ns + NS_PER_SECOND - 1n) / NS_PER_SECOND);
}
