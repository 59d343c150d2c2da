import fc from "fast-check";
import { parseRfc3339, simpleMillis } from "../../../detector/src/engine/time";

/**
 * The fast reading of CloudTrail's usual event time agrees with the full RFC 3339 parser on every
 * date of the proleptic Gregorian calendar, and leaves any other text to it.
 */

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

describe("simpleMillis", () => {
  it("reads YYYY-MM-DDTHH:MM:SSZ as the RFC 3339 parser does, leap days and centuries included", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("0000-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }), (d) => {
        const text = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
        const ms = simpleMillis(text);
        expect(ms).toBe(Number(parseRfc3339(text)! / 1_000_000n));
        expect(ms).toBe(Math.floor(d.getTime() / 1000) * 1000);
      }),
      { numRuns: 5000 },
    );
  });

  it("gives the days around the calendar's edges", () => {
    for (const text of ["1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "1900-03-01T00:00:00Z", "2024-12-31T12:00:00Z", "0001-01-01T00:00:00Z", "1969-12-31T23:59:59Z"]) {
      expect([text, simpleMillis(text)]).toEqual([text, Date.parse(text)]);
    }
  });

  it("leaves other shapes and impossible dates to the full parser", () => {
    for (const text of ["2024-05-01T12:00:00.123Z", "2024-05-01T12:00:00+00:00", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-05-01 12:00:00Z", "2024-05-01T24:00:00Z", "2024-0a-01T00:00:00Z", ""]) {
      expect([text, simpleMillis(text)]).toEqual([text, undefined]);
    }
  });
});

describe("parseRfc3339", () => {
  it("reads the years 0000-0099 as themselves, not as 1900-1999", () => {
    expect(parseRfc3339("0099-12-31T23:59:59Z")).toBe(BigInt(Date.parse("0099-12-31T23:59:59Z")) * 1_000_000n);
    expect(parseRfc3339("0000-02-29T00:00:00Z")).toBe(BigInt(Date.parse("0000-02-29T00:00:00Z")) * 1_000_000n);
    expect(parseRfc3339("1900-02-29T00:00:00Z")).toBeUndefined();
  });
});
