/** Event time: CloudTrail's RFC 3339 `eventTime` to nanoseconds, and the renderings Falco uses. */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True when `s` is an RFC 3339 timestamp, as the cloudtrail plugin requires of `eventTime`. */
export function isRfc3339(s: string): boolean {
  // CloudTrail writes 2024-05-01T12:00:00Z: check that shape by hand, the regex handles the rest.
  if (s.length === 20 && s.charCodeAt(19) === 90 && s.charCodeAt(10) === 84) return simpleShape(s);
  const m = RFC3339.exec(s);
  if (!m) return false;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  if (month < 1 || month > 12 || day < 1 || +m[4] > 23 || +m[5] > 59 || +m[6] > 59) return false;
  if (day > DAYS_IN_MONTH[month - 1]) return false;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return false;
  const zone = m[8];
  return zone === "Z" || (+zone.slice(1, 3) <= 23 && +zone.slice(4, 6) <= 59);
}

/** Two ASCII digits at `i` as a number, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** The common shape YYYY-MM-DDTHH:MM:SSZ, checked on character codes (this runs for every record). */
function simpleShape(s: string): boolean {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const hi = two(s, 0);
  const lo = two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  if (day > DAYS_IN_MONTH[month - 1]) return false;
  const year = hi * 100 + lo;
  return !(month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)));
}

/**
 * Milliseconds since the epoch of a time in CloudTrail's usual shape (YYYY-MM-DDTHH:MM:SSZ), or
 * undefined for any other text: reading the digits costs far less than Date.parse, per record.
 */
export function simpleMillis(s: string): number | undefined {
  if (s.length !== 20 || s.charCodeAt(19) !== 90 || s.charCodeAt(10) !== 84 || !simpleShape(s)) return undefined;
  const days = daysFromCivil(two(s, 0) * 100 + two(s, 2), two(s, 5), two(s, 8));
  return days * 86_400_000 + ((two(s, 11) * 60 + two(s, 14)) * 60 + two(s, 17)) * 1000;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12), in integer arithmetic. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Nanoseconds since the epoch, or undefined when `s` is not a valid RFC 3339 timestamp. */
export function parseRfc3339(s: string): bigint | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  // Not Date.UTC, which takes years 0-99 for 1900-1999.
  let ms = daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000;
  const zone = m[8];
  if (zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 23 || zm > 59) return undefined;
    ms -= sign * (zh * 60 + zm) * 60_000;
  }
  const frac = m[7] ? BigInt(m[7].padEnd(9, "0")) : 0n;
  return BigInt(ms) * NS_PER_MS + frac;
}

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1];
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function split(ns: bigint): { date: Date; frac: string } {
  let sec = ns / NS_PER_S;
  let rem = ns % NS_PER_S;
  if (rem < 0n) {
    rem += NS_PER_S;
    sec -= 1n;
  }
  return { date: new Date(Number(sec) * 1000), frac: rem.toString().padStart(9, "0") };
}

/** `2024-05-01T12:00:00.000000000Z`: the `time` of a JSON alert. */
export function isoUtc(ns: bigint): string {
  const { date, frac } = split(ns);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${frac}Z`;
}

/** `2024-05-01T12:00:00.000000000+0000`: `evt.time.iso8601`. */
export function iso8601(ns: bigint): string {
  return isoUtc(ns).slice(0, -1) + "+0000";
}

/** `HH:MM:SS.nnnnnnnnn` in local time (`evt.time`), or without nanoseconds (`evt.time.s`). */
export function localTime(ns: bigint, withNs = true): string {
  const { date, frac } = split(ns);
  const t = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return withNs ? `${t}.${frac}` : t;
}

/** `YYYY-MM-DD HH:MM:SS.nnnnnnnnn` in local time (`evt.datetime`), or without nanoseconds. */
export function localDateTime(ns: bigint, withNs = true): string {
  const { date } = split(ns);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${localTime(ns, withNs)}`;
}
