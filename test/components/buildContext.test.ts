/** The image tag's digest: it follows the files the build reads, and nothing else. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildContextDigest, buildContextFiles, dockerfileSources, isIgnored } from "../../components/connector/buildContext";
import { REPO_ROOT } from "./helpers/runProgram";

const DOCKERFILE = `FROM node:22 AS build
WORKDIR /app
COPY package.json \\
     package-lock.json ./
# COPY ignored/ comment/
COPY --chown=node:node src src
FROM node:22
COPY --from=build /app/dist dist
ADD ["bin/run.js", "bin/"]
`;

function checkout(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3guard-context-"));
  const files: Record<string, string> = {
    "docker/Dockerfile": DOCKERFILE,
    ".dockerignore": "**/node_modules\n**/*.md\n!src/KEEP.md\n",
    "package.json": "{}",
    "package-lock.json": "{}",
    "src/index.ts": "export {};\n",
    "src/KEEP.md": "kept\n",
    "src/NOTES.md": "ignored\n",
    "src/node_modules/x/index.js": "ignored\n",
    "bin/run.js": "run();\n",
    "docs/guide.md": "not copied\n",
  };
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

describe("build context digest", () => {
  const dirs: string[] = [];
  const make = () => {
    const dir = checkout();
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("reads COPY and ADD sources, continuation lines joined, flags and other stages' files left out", () => {
    expect(dockerfileSources(DOCKERFILE)).toEqual(["package.json", "package-lock.json", "src", "bin/run.js"]);
  });

  it("refuses sources it cannot follow", () => {
    expect(() => dockerfileSources("COPY rules/*.yaml rules/\n")).toThrow(/reads rules\/\*\.yaml; list plain paths/);
    expect(() => dockerfileSources("ADD https://example.com/x.tgz /x\n")).toThrow(/list plain paths/);
  });

  it("applies .dockerignore as Docker does: folders, ** and the last matching rule", () => {
    const rules = "**/node_modules\n*.md\n!KEEP.md\ntest\n";
    expect(isIgnored("detector/node_modules/a/b.js", rules)).toBe(true);
    expect(isIgnored("node_modules/a.js", rules)).toBe(true);
    expect(isIgnored("README.md", rules)).toBe(true);
    expect(isIgnored("KEEP.md", rules)).toBe(false);
    expect(isIgnored("docs/README.md", rules)).toBe(false);
    expect(isIgnored("test/x.ts", rules)).toBe(true);
    expect(isIgnored("detector/test/x.ts", rules)).toBe(false);
  });

  it("lists the files the build reads, the Dockerfile and .dockerignore included", () => {
    expect(buildContextFiles(make(), "docker/Dockerfile")).toEqual([
      ".dockerignore",
      "bin/run.js",
      "docker/Dockerfile",
      "package-lock.json",
      "package.json",
      "src/KEEP.md",
      "src/index.ts",
    ]);
  });

  it("is the same for equal checkouts in different places", () => {
    expect(buildContextDigest(make(), "docker/Dockerfile")).toBe(buildContextDigest(make(), "docker/Dockerfile"));
  });

  it("changes with a copied file or the Dockerfile, not with files the build does not read", () => {
    const dir = make();
    const digest = () => buildContextDigest(dir, "docker/Dockerfile");
    const first = digest();
    fs.writeFileSync(path.join(dir, "docs/guide.md"), "edited\n");
    fs.writeFileSync(path.join(dir, "src/NOTES.md"), "edited\n");
    fs.writeFileSync(path.join(dir, "src/node_modules/x/index.js"), "edited\n");
    expect(digest()).toBe(first);
    fs.writeFileSync(path.join(dir, "src/index.ts"), "export const x = 1;\n");
    const second = digest();
    expect(second).not.toBe(first);
    fs.appendFileSync(path.join(dir, "docker/Dockerfile"), "USER node\n");
    expect(digest()).not.toBe(second);
  });

  it("covers the detector image's sources, rules and Dockerfile, without dependencies or build output", () => {
    const files = buildContextFiles(REPO_ROOT, "detector/Dockerfile");
    expect(files).toEqual(expect.arrayContaining(["detector/Dockerfile", "detector/bin/healthcheck.js", "package-lock.json", "detector/src/cli.ts"]));
    expect(files.some((f) => f.startsWith("rules/") && f.endsWith(".yaml"))).toBe(true);
    expect(files.filter((f) => /node_modules|\/dist\/|^docs\/|^components\//.test(f))).toEqual([]);
  });
});
