import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HttpDestination, retryAfterMs } from "../../../detector/src/alerts/http";
import { opsgenieDestination } from "../../../detector/src/alerts/opsgenie";
import { makeAlert } from "../support/alerts";

interface Seen {
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A receiver answering each request with the next scripted status (200 once the script runs out). */
async function receiver(script: Array<number | { status: number; headers: Record<string, string> }>): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const c of req) body += c;
    seen.push({ path: req.url ?? "", headers: req.headers, body });
    const next = script.shift() ?? 200;
    if (typeof next === "number") res.writeHead(next).end("answer");
    else res.writeHead(next.status, next.headers).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));

describe("HTTP destinations", () => {
  it("send user:password from a secret's URL as HTTP Basic authentication, which fetch would refuse in the URL", async () => {
    const r = await receiver([]);
    try {
      const d = new HttpDestination({ name: "siem", type: "webhook", url: r.url.replace("http://", "http://ops:p%40ss@") + "/in", payload: () => ({ body: "{}" }) });
      expect(await d.send([makeAlert()])).toEqual([]);
      expect(r.seen[0].headers.authorization).toBe("Basic " + Buffer.from("ops:p@ss").toString("base64"));
      expect(r.seen[0].headers["x-s3guard-alert-id"]).toBe("alert-000001");
      expect(r.seen[0].path).toBe("/in");
    } finally {
      await close(r.server);
    }
  });

  it("retry 429 after the receiver's Retry-After, and count the retry", async () => {
    const r = await receiver([{ status: 429, headers: { "Retry-After": "1" } }]);
    try {
      let retried = 0;
      const started = Date.now();
      const d = new HttpDestination({ name: "chat", type: "slack", url: r.url, payload: () => ({ body: "{}" }) });
      expect(await d.send([makeAlert()], { retried: (n) => (retried += n) })).toEqual([]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(retried).toBe(1);
      expect(r.seen).toHaveLength(2);
    } finally {
      await close(r.server);
    }
  });

  it("do not retry a request the receiver refuses (4xx), and name the output and host, never the path or token", async () => {
    const r = await receiver([400]);
    try {
      const d = new HttpDestination({ name: "chat", type: "slack", url: `${r.url}/services/T0/B0/SECRETTOKEN123`, payload: () => ({ body: "{}" }) });
      const [failure] = await d.send([makeAlert()]);
      expect(r.seen).toHaveLength(1);
      expect(failure.reason).toBe(`slack output 'chat': HTTP 400 from ${new URL(r.url).host}: answer`);
    } finally {
      await close(r.server);
    }
  });

  it("report a receiver that is not there without its URL", async () => {
    const gone = await receiver([]);
    await close(gone.server);
    const d = new HttpDestination({ name: "siem", type: "webhook", url: `${gone.url}/hook/SECRETTOKEN123`, payload: () => ({ body: "{}" }), attempts: 2, retryBaseMs: 1 });
    const [failure] = await d.send([makeAlert()]);
    expect(failure.reason).toBe(`webhook output 'siem': POST to ${new URL(gone.url).host} failed: ECONNREFUSED`);
  });

  it("send Opsgenie's API key in its Authorization header", async () => {
    const r = await receiver([202]);
    try {
      await opsgenieDestination({ name: "og", url: r.url, apiKey: "key-123" }).send([makeAlert()]);
      expect(r.seen[0].headers.authorization).toBe("GenieKey key-123");
      expect(JSON.parse(r.seen[0].body)).toMatchObject({ alias: "alert-000001" });
    } finally {
      await close(r.server);
    }
  });

  it("read Retry-After as seconds or as a date", () => {
    expect(retryAfterMs("3")).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
