import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { connectorHealthCheck, IMAGE_APP_DIR } from "../../components/connector/environment";
import { NODE_FLAGS } from "../../detector/src";

const ROOT = path.resolve(__dirname, "../..");
const text = readFileSync(path.join(ROOT, "detector/Dockerfile"), "utf8");

/** Instructions of the Dockerfile (continuations joined, comments dropped), grouped by stage. */
function stages(): Array<{ name: string; from: string; lines: string[] }> {
  const joined = text.replace(/\\\n\s*/g, " ").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const out: Array<{ name: string; from: string; lines: string[] }> = [];
  for (const line of joined) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) out.push({ from: from[1], name: from[2] ?? String(out.length), lines: [] });
    else out[out.length - 1].lines.push(line);
  }
  return out;
}

describe("the connector's container image (detector/Dockerfile)", () => {
  const all = stages();
  const runtime = all[all.length - 1];
  const has = (re: RegExp) => runtime.lines.filter((l) => re.test(l));

  it("is multi-stage on Node 22 pinned by digest, the runtime stage last", () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const s of all) expect(s.from).toMatch(/^node:22-[a-z]+-slim@sha256:[0-9a-f]{64}$/);
    expect(runtime.lines.some((l) => /^COPY --from=build /.test(l))).toBe(true);
  });

  it("installs only production dependencies in the image that runs", () => {
    const installs = has(/^RUN .*npm (ci|install)/);
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/--omit=dev/);
    expect(runtime.lines.join("\n")).not.toMatch(/\btsc\b|typescript/);
  });

  it("runs as the non-root node user", () => {
    const users = has(/^USER /);
    expect(users).toEqual(["USER node"]);
    const userAt = runtime.lines.indexOf("USER node");
    expect(runtime.lines.slice(userAt).some((l) => /^(RUN|COPY|ADD) /.test(l))).toBe(false);
  });

  it("includes the bundled rules and points the detector at them", () => {
    expect(has(/^COPY rules\/? rules\/?$/)).toHaveLength(1);
    expect(runtime.lines.join(" ")).toMatch(/ENV .*S3GUARD_BUNDLED_RULES=\/app\/rules/);
    expect(runtime.lines).toContain("WORKDIR /app");
  });

  it("checks health with node against /healthz, and starts the service", () => {
    const [check] = has(/^HEALTHCHECK /);
    expect(check).toMatch(/CMD \["\/usr\/local\/bin\/node", "\/app\/detector\/bin\/healthcheck\.js"\]/);
    expect(readFileSync(path.join(ROOT, "detector/bin/healthcheck.js"), "utf8")).toContain("/healthz");
    // Node starts with the flags the command's launcher gives it.
    expect(runtime.lines[runtime.lines.length - 1]).toBe(`ENTRYPOINT ${JSON.stringify(["node", ...NODE_FLAGS, "detector/bin/s3guard.js", "run"]).replace(/","/g, '", "')}`);
  });

  it("copies only files that exist in the repository (rules/ comes from the rules work)", () => {
    for (const s of all) {
      for (const line of s.lines.filter((l) => /^COPY /.test(l) && !/--from=/.test(l))) {
        const sources = line.split(/\s+/).slice(1, -1);
        for (const src of sources) if (!src.startsWith("rules")) expect([src, existsSync(path.join(ROOT, src))]).toEqual([src, true]);
      }
    }
  });

  it("checks health exactly as the ECS task definition does: same command, same timing", () => {
    const { command, ...timing } = connectorHealthCheck();
    const [check] = has(/^HEALTHCHECK /);
    const option = (name: string) => Number(new RegExp(`--${name}=(\\d+)s?`).exec(check)?.[1]);
    expect({ interval: option("interval"), timeout: option("timeout"), retries: option("retries"), startPeriod: option("start-period") }).toEqual(timing);
    expect(JSON.parse(check.replace(/^.*? CMD /, ""))).toEqual(command.slice(1));
    expect(runtime.lines).toContain(`WORKDIR ${IMAGE_APP_DIR}`);
  });
});
