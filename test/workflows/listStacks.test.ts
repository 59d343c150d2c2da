/**
 * The matrix of the preview and drift workflows is the list .github/scripts/list-stacks.js prints: every stack
 * it names has its Pulumi.<stack>.yaml (a valid one), and a stack without a file is never checked.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkStackFile } from "../../components/configStackFile";

const root = join(__dirname, "../..");
const script = join(root, ".github/scripts/list-stacks.js");
const { listStacks } = require(script) as { listStacks(dir: string, only?: string): { stacks: string[] } | { error: string } };

/** Runs the script as the workflows' `stacks` job does and reads the step output it prints. */
function asTheWorkflowRunsIt(...args: string[]): { status: number | null; stacks?: string[]; stderr: string } {
  const run = spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: "utf8" });
  const line = /^stacks=(.*)$/m.exec(run.stdout);
  return { status: run.status, stderr: run.stderr, ...(line ? { stacks: JSON.parse(line[1]) as string[] } : {}) };
}

describe("the stacks the workflows preview", () => {
  const { status, stacks } = asTheWorkflowRunsIt();

  it("are listed, at least the example stack", () => {
    expect(status).toBe(0);
    expect(stacks).toContain("dev");
  });

  it("each have their Pulumi.<stack>.yaml, which the program's validator accepts", () => {
    for (const stack of stacks ?? []) {
      const file = join(root, `Pulumi.${stack}.yaml`);
      expect([stack, existsSync(file)]).toEqual([stack, true]);
      expect([stack, checkStackFile(readFileSync(file, "utf8"), stack).problems]).toEqual([stack, []]);
    }
  });

  it("on a manual run of one stack, are that stack, or fail with the stacks that exist", () => {
    expect(asTheWorkflowRunsIt("dev")).toMatchObject({ status: 0, stacks: ["dev"] });
    const missing = asTheWorkflowRunsIt("prod");
    expect(missing.status).toBe(1);
    expect(missing.stacks).toBeUndefined();
    expect(missing.stderr).toMatch(/^::error::no Pulumi\.prod\.yaml: the stacks with a file are .*\bdev\b/);
  });
});

describe("listStacks", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "stacks-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const touch = (...files: string[]) => files.forEach((f) => writeFileSync(join(dir, f), "config: {}\n"));

  it("lists one stack per stack file, sorted, and nothing else", () => {
    touch("Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.dev.yaml", "Pulumi.eu-west.yml", "Pulumi.dev.yaml.bak", "Pulumi.yaml.orig", "README.md");
    expect(listStacks(dir)).toEqual({ stacks: ["dev", "eu-west", "prod"] });
  });

  it("lists none when no stack file is committed, which the workflows skip", () => {
    touch("Pulumi.yaml");
    expect(listStacks(dir)).toEqual({ stacks: [] });
    expect(listStacks(dir, "dev")).toEqual({ error: "no Pulumi.dev.yaml: the stacks with a file are none" });
  });

  it("treats an empty manual choice as every stack", () => {
    touch("Pulumi.a.yaml", "Pulumi.b.yaml");
    expect(listStacks(dir, "")).toEqual({ stacks: ["a", "b"] });
  });
});
