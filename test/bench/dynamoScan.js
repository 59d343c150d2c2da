// @ts-check
"use strict";
/**
 * Bench figure: `s3guard scan` with the bundled rules and state in DynamoDB, every call delayed:
 * `node dynamoScan.js DIR DELAY_MS`. dynalite (DynamoDB on LevelDB, in this process) stands behind
 * an HTTP proxy that holds each request DELAY_MS before passing it on, as a real table's round trip
 * would. The scan runs as a child process (one connector task's worth of state traffic); its own
 * time is reported as `bench-seconds=`. The same input is then scanned with state in memory and
 * the alerts compared: the note says whether they are identical.
 */
const { spawn } = require("node:child_process");
const http = require("node:http");
const path = require("node:path");
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { CreateTableCommand, DynamoDBClient } = require("@aws-sdk/client-dynamodb");

const REPO = path.resolve(__dirname, "..", "..");
const DETECTOR = path.join(REPO, "detector", "bin", "s3guard.js");
const MEASURE = path.join(__dirname, "measure.js");
const [dir, delayText] = process.argv.slice(2);
const delayMs = Number(delayText ?? 5);

/** A proxy that waits `delayMs` on every request, then forwards it to `target`. */
function delayingProxy(target, delay) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let calls = 0;
  const tally = {};
  process.on("exit", () => process.env.BENCH_TALLY && console.error(tally));
  const server = http.createServer((req, res) => {
    const body = [];
    req.on("data", (c) => body.push(c));
    req.on("end", () => {
      calls++;
      if (process.env.BENCH_TALLY) { const t = String(req.headers["x-amz-target"]).split(".").pop(); const b = Buffer.concat(body).toString(); const pk = /"pk":\{"S":"[^/]*\/(\w)/.exec(b); const k = t + " " + (pk ? pk[1] : "?") + (/"sk":\{"S":"r#/.test(b) ? " rec" : ""); tally[k] = (tally[k] ?? 0) + 1; }
      setTimeout(() => {
        const fwd = http.request({ host: "127.0.0.1", port: target, path: req.url, method: req.method, headers: req.headers, agent }, (up) => {
          res.writeHead(up.statusCode ?? 500, up.headers);
          up.pipe(res);
        });
        fwd.on("error", (e) => {
          res.writeHead(502);
          res.end(String(e));
        });
        fwd.end(Buffer.concat(body));
      }, delay);
    });
  });
  return { server, calls: () => calls };
}

const listen = (server) => new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));

/** Runs a scan; resolves with its alerts (stdout), stderr and seconds. */
function scan(env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [...(env.S3GUARD_STATE_TABLE && process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(" ") : []), MEASURE, DETECTOR, "scan", "--workers", "1", "--rules", path.join(REPO, "rules"), dir], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`scan exited ${code}: ${err.slice(-2000)}`));
      else resolve({ out, err, seconds });
    });
  });
}

async function main() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require("dynalite")({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamoPort = await listen(dynalite);
  const proxy = delayingProxy(dynamoPort, delayMs);
  const port = await listen(proxy.server);
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", AWS_ENDPOINT_URL_DYNAMODB: endpoint, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench" };
  const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${dynamoPort}`, region: "us-east-1", credentials: { accessKeyId: "bench", secretAccessKey: "bench" } });
  const table = "s3guard-bench-state";
  await client.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  client.destroy();
  try {
    const shared = await scan({ ...env, S3GUARD_STATE_TABLE: table });
    const rss = /bench-maxrss-kb=(\d+)/.exec(shared.err);
    const calls = proxy.calls();
    const memory = await scan({ S3GUARD_STATE_TABLE: "" });
    const lines = (t) => t.split("\n").filter(Boolean).sort().join("\n");
    const same = lines(shared.out) === lines(memory.out);
    const alerts = lines(shared.out).split("\n").filter(Boolean).length;
    process.stderr.write(`bench-seconds=${shared.seconds}\n`);
    process.stderr.write(`bench-note=${calls} calls; ${alerts} alerts, ${same ? "identical to" : "DIFFERENT FROM"} memory state's (${lines(memory.out).split("\n").filter(Boolean).length})\n`);
    // The scan's peak memory, not this process's (reported first, so it is the one read).
    if (rss) process.stderr.write(`bench-maxrss-kb=${rss[1]}\n`);
    const cpu = /bench-cpu-ms=(\d+)/.exec(shared.err);
    if (cpu) process.stderr.write(`bench-cpu-ms=${cpu[1]}\n`);
  } finally {
    proxy.server.closeAllConnections();
    proxy.server.close();
    dynalite.close();
  }
}

main().catch((e) => {
  process.stderr.write(`dynamoScan: ${e.stack ?? e}\n`);
  process.exitCode = 1;
});
