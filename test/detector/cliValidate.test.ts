import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { s3guard } from "../support/cli";

/** `s3guard validate` names what is wrong in a rules file and what was meant, every error at once. */

const dir = mkdtempSync(path.join(tmpdir(), "s3guard-validate-"));
const write = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};
const rule = (name: string, lines: string) => `- rule: ${name}\n  desc: d\n${lines}  priority: WARNING\n  source: aws_cloudtrail\n`;

describe("s3guard validate", () => {
  it("rejects an unknown output field, naming it and the field meant", async () => {
    const file = write("output.yaml", rule("Bucket read", "  condition: ct.name = GetObject\n  output: read from %s3.buckett\n"));
    const r = await s3guard(["validate", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${file}:4: rule 'Bucket read': output at line 1, column 12: unknown filter: s3.buckett is not a field (did you mean "s3.bucket"?) [LOAD_ERR_COMPILE_OUTPUT]`);
  });

  it("rejects a misspelt condition key with a did-you-mean", async () => {
    const file = write("key.yaml", rule("Bucket read", "  condtion: ct.name = GetObject\n  output: read from %s3.bucket\n"));
    const r = await s3guard(["validate", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`rule 'Bucket read': Item has no mapping for key 'condition' ('condtion' is there: did you mean "condition"?)`);
  });

  it("reports every error of the file", async () => {
    const file = write(
      "several.yaml",
      rule("One", "  condition: ct.nme = GetObject\n  output: o\n") + rule("Two", "  condition: ct.name = GetObject\n  output: o %s3.buckett\n") + rule("Fine", "  condition: ct.name = GetObject\n  output: o\n"),
    );
    const r = await s3guard(["validate", file]);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/^error: /gm)).toHaveLength(2);
    expect(r.stderr).toContain(`rule 'One': condition at line 1, column 1: filter_check called with nonexistent field ct.nme (did you mean "ct.name"?)`);
    expect(r.stderr).toContain(`rule 'Two': output at line 1, column 4: unknown filter: s3.buckett is not a field`);
  });
});
