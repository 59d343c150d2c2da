import { execFile } from "node:child_process";
import * as path from "node:path";
import { startHealthServer } from "../../../detector/src/connector/healthServer";
import { Metrics } from "../../../detector/src/connector/metrics";

const HEALTHCHECK = path.resolve(__dirname, "../../../detector/bin/healthcheck.js");

/** Exit code of the container's HEALTHCHECK command against a port. */
function healthcheck(port: number): Promise<number> {
  return new Promise((resolve) => execFile(process.execPath, [HEALTHCHECK], { env: { ...process.env, S3GUARD_HEALTH_PORT: String(port) } }, (err) => resolve(err ? Number(err.code) : 0)));
}

describe("/healthz, /metrics and the container health check", () => {
  it("answers 503 with the reasons until ready, then 200; the health check follows", async () => {
    let ready = false;
    const metrics = new Metrics();
    metrics.inc("s3guard_records_total", {}, 7);
    const server = await startHealthServer(0, () => ({ ready, details: { rulesVersion: ready ? "abc" : null, queue: ready ? "answers" : "not answering" } }), metrics);
    try {
      const before = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      expect(before.status).toBe(503);
      expect(await before.json()).toEqual({ status: "not ready", rulesVersion: null, queue: "not answering" });
      expect(await healthcheck(server.port)).toBe(1);

      ready = true;
      const after = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      expect(after.status).toBe(200);
      expect(await after.json()).toEqual({ status: "ready", rulesVersion: "abc", queue: "answers" });
      expect(await healthcheck(server.port)).toBe(0);

      const page = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(page.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await page.text()).toContain("s3guard_records_total 7\n");
    } finally {
      await server.close();
    }
  });

  it("listens on the loopback interface by default, where the container's health check asks", async () => {
    const server = await startHealthServer(0, () => ({ ready: true, details: {} }), new Metrics());
    try {
      expect(server.host).toBe("127.0.0.1");
      expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
      expect(await healthcheck(server.port)).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("listens where S3GUARD_HEALTH_HOST says, for metrics scraped from outside the task", async () => {
    const server = await startHealthServer(0, () => ({ ready: true, details: {} }), new Metrics(), "0.0.0.0");
    try {
      expect(server.host).toBe("0.0.0.0");
      expect((await fetch(`http://127.0.0.1:${server.port}/metrics`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
