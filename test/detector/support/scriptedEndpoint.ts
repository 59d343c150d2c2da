import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the AWS SDK sent it over HTTP. */
export interface RecordedRequest {
  path: string;
  /** `X-Amz-Target` of JSON-protocol services (e.g. `Logs_20140328.PutLogEvents`). */
  target: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface ScriptedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Answer after this long (a long poll). */
  delayMs?: number;
}

/**
 * A local HTTP endpoint that answers an AWS service's requests from a script, so the real SDK
 * client (serialization, error parsing, retries) runs against the responses AWS documents:
 * throttling errors, per-item failures inside a successful response.
 */
export class ScriptedEndpoint {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;

  constructor(private readonly answer: (req: RecordedRequest, n: number) => ScriptedResponse) {}

  static async start(answer: (req: RecordedRequest, n: number) => ScriptedResponse): Promise<ScriptedEndpoint> {
    const e = new ScriptedEndpoint(answer);
    e.server = createServer((req, res) => {
      let text = "";
      req.on("data", (c) => (text += c));
      req.on("end", () => {
        const recorded: RecordedRequest = { path: req.url ?? "/", target: String(req.headers["x-amz-target"] ?? ""), body: text ? JSON.parse(text) : undefined };
        e.requests.push(recorded);
        const r = e.answer(recorded, e.requests.length);
        const send = () => res.writeHead(r.status, { "Content-Type": "application/x-amz-json-1.1", ...r.headers }).end(JSON.stringify(r.body));
        if (r.delayMs) setTimeout(send, r.delayMs);
        else send();
      });
    });
    await new Promise<void>((resolve) => e.server!.listen(0, "127.0.0.1", resolve));
    return e;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server!.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/** Client settings for the endpoint: no SDK-level retries, so the sink's own handling is what is tested. */
export function clientConfig(url: string) {
  return { endpoint: url, region: "eu-west-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 };
}
