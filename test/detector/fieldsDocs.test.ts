import { readFileSync } from "node:fs";
import * as path from "node:path";
import { OPERATORS } from "../../detector/src/engine/condition/parser";
import { FIELDS } from "../../detector/src/engine/fields";
import { REPO, s3guard } from "../support/cli";

/** Writing rules without guesswork: every field listed with its type and meaning, every operator documented. */

const doc = (name: string) => readFileSync(path.join(REPO, name), "utf8");

describe("s3guard fields", () => {
  it("lists every field with its type and a description", async () => {
    const r = await s3guard(["fields"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    for (const f of FIELDS.values()) {
      const line = lines.find((l) => l.trim().split(/\s+/)[0].replace(/\[.*$/, "") === f.name);
      expect(line).toBeDefined();
      expect(line).toContain(f.type);
      expect(line).toContain(f.desc.replace(/`/g, ""));
    }
    expect(r.stdout).toMatch(/\n {2}ct\.name +string +the API call \(eventName\)\n/);
    expect(r.stdout).toMatch(/\n {2}s3\.bucket +string +the bucket/);
  });

  it("lists only the fields whose name contains a given text, and fails when none does", async () => {
    const r = await s3guard(["fields", "s3.b"]);
    expect(r.stdout.match(/^ {2}\S+/gm)?.map((s) => s.trim())).toEqual(["s3.bucket", "s3.bytes", "s3.bytes.in", "s3.bytes.out"]);
    expect((await s3guard(["fields", "nosuch"])).code).toBe(1);
  });

  it("generates docs/fields.md, which is up to date", async () => {
    const r = await s3guard(["fields", "--markdown"]);
    expect(r.code).toBe(0);
    // When this fails: s3guard fields --markdown > docs/fields.md
    expect(doc("docs/fields.md")).toBe(r.stdout);
  });
});

describe("the rule language documentation", () => {
  const text = doc("docs/rule-language.md");

  it("describes every operator and transformer", () => {
    for (const op of [...OPERATORS, "tolower", "toupper", "b64", "basename", "len", "val"]) expect(text).toContain(`\`${op}`);
  });

  it("is linked, with the field list, from the README and the rules documentation", () => {
    for (const name of ["README.md", "docs/rules.md"]) {
      expect(doc(name)).toMatch(/\]\((docs\/)?rule-language\.md\)/);
      expect(doc(name)).toMatch(/\]\((docs\/)?fields\.md\)/);
    }
  });
});
