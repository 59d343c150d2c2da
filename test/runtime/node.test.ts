/**
 * One Node for everything: the tests, npm scripts, CI and the connector image run the release pinned as
 * the `node` devDependency (npm puts node_modules/.bin first on PATH), and engines refuse anything older.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "../..");
const json = (file: string) => JSON.parse(readFileSync(join(root, file), "utf8"));
const rootPackage = json("package.json");
const pinned: string = rootPackage.devDependencies.node;
const major = (version: string) => Number(version.replace(/^v/, "").split(".")[0]);

describe("the Node release", () => {
  it("is pinned exactly, to a Node 22 LTS release", () => {
    expect(pinned).toMatch(/^22\.\d+\.\d+$/);
  });

  it("runs these tests", () => {
    expect(process.versions.node).toBe(pinned);
  });

  it("is the one `npm exec node` finds from the repository, as every npm script does", () => {
    const run = spawnSync("npm", ["exec", "--", "node", "--version"], { cwd: root, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(`v${pinned}`);
  });

  it("satisfies the engines of the kit and of the detector, which accept no Node older than 22", () => {
    for (const file of ["package.json", "detector/package.json"]) {
      expect([file, json(file).engines.node]).toEqual([file, ">=22"]);
    }
    expect(major(pinned)).toBeGreaterThanOrEqual(22);
  });

  it("has its install script allowed, so npm ci puts the binary in place without a warning", () => {
    expect(rootPackage.allowScripts.node).toBe(true);
  });
});

describe("detector/Dockerfile", () => {
  const dockerfile = readFileSync(join(root, "detector/Dockerfile"), "utf8");
  const froms = dockerfile.split("\n").filter((line) => line.startsWith("FROM "));

  it("starts every stage from the official Node 22 image pinned by digest, the same digest each time", () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const images = froms.map((line) => line.split(/\s+/)[1]);
    for (const image of images) {
      expect(image).toMatch(/^node:22-[a-z]+-slim@sha256:[0-9a-f]{64}$/);
    }
    expect(new Set(images).size).toBe(1);
  });

  it("names the Node release of that image, which is the release the tests run on", () => {
    const named = /Node (\d+\.\d+\.\d+) on Debian/.exec(dockerfile);
    expect(named?.[1]).toBe(pinned);
  });
});
