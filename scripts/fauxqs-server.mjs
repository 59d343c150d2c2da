// Starts fauxqs (a local SQS/SNS/S3 endpoint) for the local pipeline and the end-to-end tests.
// fauxqs is an ES module, so it runs in its own process; the parent reads one JSON line with the
// endpoint from stdout. The server stops when the parent closes stdin (or dies), so it never
// outlives the run that started it.
import { startFauxqs } from "fauxqs";

const port = Number(process.env.FAUXQS_PORT ?? 0);
const server = await startFauxqs({ port, logger: false, host: "localhost" });
process.stdout.write(JSON.stringify({ endpoint: `http://127.0.0.1:${server.port}` }) + "\n");

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
}
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
