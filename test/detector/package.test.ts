import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { NODE_FLAGS } from "../../detector/src";
import { REPO } from "../support/cli";

const run = promisify(execFile);
const SAMPLES = path.join(REPO, "samples");

/**
 * The command is `s3guard`, never `detector` (an unrelated public npm package has that name): linked by
 * `npm ci`, and publishable as the package `s3guard` carrying its bundled rules.
 */
describe("the s3guard package", () => {
  it("links node_modules/.bin/s3guard to the workspace's launcher", () => {
    const bin = path.join(REPO, "node_modules", ".bin", "s3guard");
    expect(existsSync(bin)).toBe(true);
    expect(realpathSync(bin)).toBe(path.join(REPO, "detector", "bin", "s3guard.js"));
  });

  it("runs as a program through its first line, node started with the launcher's flags", async () => {
    const launcher = readFileSync(path.join(REPO, "detector", "bin", "s3guard.js"), "utf8");
    expect(launcher.split("\n")[0]).toBe(`#!/usr/bin/env -S node ${NODE_FLAGS.join(" ")}`);
    // A script node loads first reports the young generation's size as the process starts.
    const probe = path.join(mkdtempSync(path.join(tmpdir(), "s3guard-probe-")), "probe.js");
    writeFileSync(probe, `process.stderr.write("new space " + require("v8").getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size + "\\n");`);
    const bin = path.join(REPO, "node_modules", ".bin", "s3guard");
    const { stdout, stderr } = await run(bin, ["--version"], { env: { ...process.env, NODE_OPTIONS: `--require=${probe}` } });
    expect(stdout).toMatch(/^s3guard \d+\.\d+\.\d+/);
    expect(Number(/new space (\d+)/.exec(stderr)?.[1])).toBe(16 * 1024 * 1024);
  });

  it("names its package and command s3guard, and is not private", () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO, "detector", "package.json"), "utf8"));
    expect(manifest.name).toBe("s3guard");
    expect(manifest.bin).toEqual({ s3guard: "bin/s3guard.js" });
    expect(manifest.private).toBeUndefined();
    expect(JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")).name).not.toBe("s3guard");
  });

  it("packs into a tarball that scans with its own copy of the bundled rules", async () => {
    const dest = mkdtempSync(path.join(tmpdir(), "s3guard-pack-"));
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", dest], { cwd: path.join(REPO, "detector") });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf("[")));
    const files = (packed.files as { path: string }[]).map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(["bin/s3guard.js", "dist/cli.js", "README.md", "rules/00-s3guard-lists.yaml"]));
    expect(files.some((f) => f.startsWith("src/") || f.startsWith("rules/tests/"))).toBe(false);
    // The copy made for packing is gone again: the repository keeps one rules/.
    expect(existsSync(path.join(REPO, "detector", "rules"))).toBe(false);

    await run("tar", ["-xzf", path.join(dest, packed.filename), "-C", dest]);
    const pkg = path.join(dest, "package");
    // Its dependencies as an install would place them: the workspace's own first, then the hoisted ones.
    symlinkSync(path.join(REPO, "detector", "node_modules"), path.join(pkg, "node_modules"), "dir");
    const env: NodeJS.ProcessEnv = { ...process.env, FALCO_HOSTNAME: "pack-test", NODE_PATH: path.join(REPO, "node_modules") };
    delete env.S3GUARD_BUNDLED_RULES;
    const scan = await run(process.execPath, [path.join(pkg, "bin", "s3guard.js"), "scan", SAMPLES], { env, cwd: dest, maxBuffer: 1 << 24 });
    const rules = new Set(scan.stdout.trim().split("\n").map((l) => JSON.parse(l).rule));
    expect(rules).toContain("CloudTrail Logging Stopped");
  }, 120_000);
});
