import { colourWanted, escapeControls, shorten, textLine } from "../../../detector/src/cli/textOutput";
import { falcoJson } from "../../../detector/src/engine";
import { alertFor } from "../../support/engine";
import { baseEvent } from "../../support/events";

const plain = { colour: false, maxValueLength: 40 };

describe("text output", () => {
  it("is Falco's line when values are short and plain", () => {
    const alert = alertFor("bucket %s3.bucket by %ct.user", baseEvent("E1"));
    expect(textLine(alert, plain)).toBe(alert.output);
  });

  it("shortens a long value, saying how much was left out, and leaves the JSON alert whole", () => {
    const event = { ...baseEvent("E1"), userAgent: "a".repeat(100) + "TAIL" };
    const alert = alertFor("ua=%ct.useragent user=%ct.user", event);
    const line = textLine(alert, plain);
    expect(line).toContain(`ua=${"a".repeat(40)}…(+64 chars) user=Alice`);
    expect(line).not.toContain("TAIL");
    expect(textLine(alert, { ...plain, maxValueLength: 0 })).toContain("TAIL");
    expect(JSON.parse(falcoJson(alert)).output_fields["ct.useragent"]).toBe("a".repeat(100) + "TAIL");
  });

  it("escapes newlines and terminal escapes in values from the logs, so they cannot forge lines or drive the terminal", () => {
    const event = { ...baseEvent("E1"), userAgent: "x\x1b]0;owned\x07\x1b[2J\nFAKE: Critical forged\r\u202eevil\x9b" };
    const line = textLine(alertFor("ua=%ct.useragent", event), { colour: false, maxValueLength: 0 });
    expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
    expect(line).toContain("ua=x\\x1b]0;owned\\x07\\x1b[2J\\nFAKE: Critical forged\\r\\u202eevil\\x9b");
  });

  it("colours the priority only when asked, and still escapes the values", () => {
    const event = { ...baseEvent("E1"), userAgent: "\x1b[31mred" };
    const alert = alertFor("ua=%ct.useragent", event, { priority: "CRITICAL" });
    const line = textLine(alert, { colour: true, maxValueLength: 0 });
    expect(line).toMatch(/^\x1b\[2m.+:\x1b\[0m \x1b\[1;31mCritical\x1b\[0m ua=\\x1b\[31mred$/);
    expect(textLine(alert, { colour: false, maxValueLength: 0 })).not.toContain("\x1b");
  });

  it("keeps a character made of two UTF-16 units whole when shortening", () => {
    expect(shorten("ab😀cd", 3)).toBe("ab…(+4 chars)");
    expect(shorten("short", 10)).toBe("short");
  });

  it("writes each control character as a visible escape", () => {
    expect(escapeControls("a\tb\u0000c\u007fd\u2028")).toBe("a\\tb\\x00c\\x7fd\\u2028");
    expect(escapeControls("naïve – ok ✓")).toBe("naïve – ok ✓");
  });
});

describe("colourWanted", () => {
  it("colours a terminal unless NO_COLOR is set or the terminal is dumb", () => {
    expect(colourWanted({ isTTY: true }, {})).toBe(true);
    expect(colourWanted({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colourWanted({ isTTY: true }, { TERM: "dumb" })).toBe(false);
  });

  it("never colours a pipe or file, unless FORCE_COLOR asks for it", () => {
    expect(colourWanted({ isTTY: false }, {})).toBe(false);
    expect(colourWanted({}, { FORCE_COLOR: "1" })).toBe(true);
    expect(colourWanted({ isTTY: true }, { FORCE_COLOR: "0" })).toBe(false);
    expect(colourWanted({}, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(false);
  });
});
