import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One POST the receiver answered. */
export interface Received {
  alertId: string;
  contentType: string;
  body: Record<string, unknown>;
  status: number;
}

/** The status to answer a POST with, from its body and its number (1 for the first). */
export type Responder = (body: Record<string, unknown>, n: number) => number | "hang" | { status: number; afterMs: number } | Promise<number>;

/**
 * A webhook endpoint for the tests, playing Falcosidekick: it records every POST and answers with
 * the status `respond` picks (or never answers, to play a hung receiver).
 */
export class WebhookReceiver {
  readonly requests: Received[] = [];
  private readonly hung: ServerResponse[] = [];
  private readonly server = createServer((req, res) => void this.handle(req, res));

  constructor(public respond: Responder = () => 200) {}

  static async start(respond?: Responder): Promise<WebhookReceiver> {
    const r = new WebhookReceiver(respond);
    await new Promise<void>((resolve) => r.server.listen(0, "127.0.0.1", resolve));
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** Alert ids of the POSTs answered 2xx, in order. */
  get accepted(): string[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.alertId);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = "";
    for await (const chunk of req) text += chunk;
    const body = JSON.parse(text) as Record<string, unknown>;
    const answer = this.respond(body, this.requests.length + 1);
    const received: Received = { alertId: String(req.headers["x-s3guard-alert-id"] ?? ""), contentType: String(req.headers["content-type"] ?? ""), body, status: 0 };
    this.requests.push(received);
    if (answer === "hang") this.hung.push(res);
    else if (typeof answer === "number") res.writeHead((received.status = answer)).end();
    else if (answer instanceof Promise) void answer.then((status) => res.writeHead((received.status = status)).end());
    else setTimeout(() => res.writeHead((received.status = answer.status)).end(), answer.afterMs);
  }

  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
