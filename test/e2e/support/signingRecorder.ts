import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { signingKeyId } from "../../../scripts/local/stubSts";

/** One request that went through the recorder, and who signed it. */
export interface SignedRequest {
  method: string;
  /** Path and query, e.g. `/bucket/AWSLogs/...` (path-style S3). */
  path: string;
  /** The access key id of its SigV4 signature. */
  keyId?: string;
  /** Whether it carried a session token (temporary credentials). */
  sessionToken: boolean;
}

/**
 * A pass-through HTTP proxy in front of the local endpoint that notes which access key signed each
 * request: the local endpoint accepts any signature, so this is where a test sees whose
 * credentials the connector used for which object.
 */
export async function startSigningRecorder(target: string): Promise<{ endpoint: string; requests: SignedRequest[]; stop(): Promise<void> }> {
  const upstream = new URL(target);
  const requests: SignedRequest[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({
      method: req.method ?? "GET",
      path: decodeURIComponent(req.url ?? "/"),
      keyId: signingKeyId(req.headers.authorization),
      sessionToken: req.headers["x-amz-security-token"] !== undefined,
    });
    const forward = request(
      { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
