import * as fs from "node:fs";
import * as path from "node:path";
import { loadRules, type LoadResult } from "../../detector/src/engine";
import { Collector } from "../../detector/src/engine/loader/collector";
import { layered } from "../../detector/src/engine/loader/layering";
import { Diagnostics } from "../../detector/src/engine/loader/messages";
import { readRulesFile } from "../../detector/src/engine/loader/reader";
import { STATEFUL_KEYS } from "../../detector/src/stateful/types";

/**
 * Falco compiles after each rules file; files that only add items, each using only what it or an
 * earlier file defines, are compiled once at the end. These tests hold that shortcut to what the
 * file-by-file load gives, and check that it is taken only when it may be.
 */

const BUNDLED = path.join(__dirname, "..", "..", "rules");
const bundledFiles = () =>
  fs
    .readdirSync(BUNDLED)
    .filter((n) => n.endsWith(".yaml"))
    .sort()
    .map((name) => ({ name, content: fs.readFileSync(path.join(BUNDLED, name), "utf8") }));

const rule = (name: string, condition: string, extra = "") =>
  `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: o %ct.name\n  priority: INFO\n  source: aws_cloudtrail\n${extra}`;

/** The collector after reading the files in order, as the load does. */
function collected(files: { name: string; content: string }[]): Collector {
  const collector = new Collector();
  const diag = new Diagnostics();
  files.forEach((f, i) => {
    collector.startFile(i);
    readRulesFile(f.name, f.content, collector, diag, { extensionKeys: new Set(STATEFUL_KEYS), context: false }, []);
  });
  return collector;
}

/** What a load made, without where each item was written: the rules in order and the messages. */
function outcome(r: LoadResult) {
  return {
    ok: r.ok,
    rules: r.ruleset?.rules.map((x) => ({ name: x.name, condition: x.condition, priority: x.priority, enabled: x.enabled, index: x.index, names: x.eventNames && [...x.eventNames].sort(), tags: x.tags })),
    errors: r.errors.map((m) => [m.code, m.message, m.location.itemName]),
    warnings: r.warnings.map((m) => [m.code, m.message, m.location.itemName]),
  };
}

describe("rules files that only add items", () => {
  it("are layered: the bundled rules take the single compilation", () => {
    expect(layered(collected(bundledFiles()))).toBe(true);
  });

  it("load as the same files made one would (one compilation either way)", () => {
    const files = bundledFiles();
    const oneFile = [{ name: "all.yaml", content: files.map((f) => f.content).join("\n---\n") }];
    const apart = outcome(loadRules(files, { extensionKeys: new Set(STATEFUL_KEYS) }));
    expect(apart.ok).toBe(true);
    expect(apart.rules!.length).toBeGreaterThan(50);
    expect(apart).toEqual(outcome(loadRules(oneFile, { extensionKeys: new Set(STATEFUL_KEYS) })));
  });

  it("may use what the same file defines further down", () => {
    const files = [{ name: "a.yaml", content: rule("r", "m") + "- macro: m\n  condition: ct.name in (l)\n- list: l\n  items: [CreateBucket]\n" }];
    expect(layered(collected(files))).toBe(true);
    expect(loadRules(files).ok).toBe(true);
  });
});

describe("rules files that are not layered load file by file", () => {
  it("a macro used before the file that defines it: the first file fails, as in Falco", () => {
    const files = [
      { name: "a.yaml", content: rule("r", "ct.name = x and m") },
      { name: "b.yaml", content: "- macro: m\n  condition: ct.name exists\n" },
    ];
    expect(layered(collected(files))).toBe(false);
    const r = loadRules(files);
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => [e.location.file, e.message])).toEqual([["a.yaml", "Undefined macro 'm' used in filter."]]);
  });

  it("a list used before the file that defines it is a literal there: the first file fails on it", () => {
    const files = [
      { name: "a.yaml", content: rule("r", "evt.num in (nums)") },
      { name: "b.yaml", content: "- list: nums\n  items: [1, 2]\n" },
    ];
    expect(layered(collected(files))).toBe(false);
    const r = loadRules(files);
    expect(r.errors.map((e) => [e.location.file, e.message])).toEqual([["a.yaml", "nums is not a valid number"]]);
    // Defined first, the same list is expanded and the rule compiles.
    expect(loadRules([files[1], files[0]]).ok).toBe(true);
  });

  it("a list named in a later file's exception values counts as a use", () => {
    const files = [
      { name: "a.yaml", content: rule("r", "ct.name exists", "  exceptions:\n    - name: e\n      fields: [ct.user]\n      values: [[admins]]\n") },
      { name: "b.yaml", content: "- list: admins\n  items: [alice]\n" },
    ];
    expect(layered(collected(files))).toBe(false);
  });

  it("a later file that appends to, overrides, redefines or enables an earlier item", () => {
    const base = { name: "a.yaml", content: "- list: l\n  items: [X]\n- macro: m\n  condition: ct.name in (l)\n" + rule("r", "m") };
    const later = [
      "- list: l\n  items: [CreateBucket]\n  override: {items: append}\n",
      "- macro: m\n  condition: ct.name exists\n",
      "- macro: m\n  condition: and ct.user exists\n  override: {condition: append}\n",
      "- rule: r\n  enabled: false\n",
      "- rule: r\n  condition: ct.name exists\n  override: {condition: replace}\n",
    ];
    for (const content of later) {
      const files = [base, { name: "b.yaml", content }];
      expect(layered(collected(files))).toBe(false);
      expect(loadRules(files).ok).toBe(true);
    }
    // The same items in one file change nothing across files.
    expect(layered(collected([{ name: "a.yaml", content: base.content + later[0] }]))).toBe(true);
  });

  it("a later file with an error is reported with the warnings of the files before it", () => {
    const files = [
      { name: "a.yaml", content: "- foo: bar\n" + rule("r", "ct.name exists") },
      { name: "b.yaml", content: rule("bad", "ct.nosuch = x") },
      { name: "c.yaml", content: "- foo: baz\n" },
    ];
    const r = loadRules(files);
    expect(r.errors.map((e) => e.location.file)).toEqual(["b.yaml"]);
    expect(r.warnings.map((w) => [w.code, w.location.file])).toEqual([["LOAD_UNKNOWN_ITEM", "a.yaml"]]);
  });
});
