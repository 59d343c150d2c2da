import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Metrics } from "./metrics";

/** What `/healthz` reports. */
export interface Readiness {
  ready: boolean;
  /** Why not ready, or what is loaded. */
  details: Record<string, unknown>;
}

/**
 * `GET /healthz` (200 when ready, 503 with the reasons otherwise) and `GET /metrics`, on `host`:
 * the loopback interface by default, where the container's own health check asks; /metrics says
 * more about the service than anyone outside the task needs to know.
 */
export async function startHealthServer(
  port: number,
  readiness: () => Readiness,
  metrics: Metrics,
  host = "127.0.0.1",
): Promise<{ port: number; host: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
    } else if (path === "/healthz") {
      const r = readiness();
      res.writeHead(r.ready ? 200 : 503, { "Content-Type": "application/json" }).end(JSON.stringify({ status: r.ready ? "ready" : "not ready", ...r.details }) + "\n");
    } else if (path === "/metrics") {
      readiness(); // refreshes the s3guard_ready gauge
      res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" }).end(metrics.render());
    } else {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found: try /healthz or /metrics\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    host: address.address,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
