import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";

/** The repository root (this file is scripts/local/ in source and scripts/dist/local/ when built). */
export const REPO_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../../.." : "../..");

/** A local AWS-compatible endpoint (fauxqs: SQS, SNS and S3) and SDK clients pointed at it. */
export interface LocalAws {
  endpoint: string;
  region: string;
  /** The AWS SDK settings a process needs to use this endpoint. */
  env: Record<string, string>;
  sqs: SQSClient;
  sns: SNSClient;
  s3: S3Client;
  stop(): Promise<void>;
}

const REGION = "us-east-1";

/**
 * Starts fauxqs in a child process (it is an ES module; a process of its own also keeps its work
 * off the caller's event loop) on a free port, and waits until it listens.
 */
export async function startLocalAws(): Promise<LocalAws> {
  const child: ChildProcess = spawn(process.execPath, [path.join(REPO_ROOT, "scripts", "fauxqs-server.mjs")], {
    cwd: REPO_ROOT,
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, FAUXQS_PORT: "0" },
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      try {
        resolve(JSON.parse(line).endpoint);
      } catch {
        reject(new Error(`fauxqs did not start: ${line}`));
      }
    });
    child.once("exit", (code) => reject(new Error(`fauxqs exited with code ${code} before listening (is 'fauxqs' installed? run npm ci)`)));
    child.once("error", reject);
  });
  const credentials = { accessKeyId: "local", secretAccessKey: "local" };
  const config = { region: REGION, endpoint, credentials };
  const clients = { sqs: new SQSClient(config), sns: new SNSClient(config), s3: new S3Client({ ...config, forcePathStyle: true }) };
  return {
    endpoint,
    region: REGION,
    env: { AWS_REGION: REGION, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" },
    ...clients,
    async stop() {
      for (const c of Object.values(clients)) c.destroy();
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin!.end(); // the server stops when its stdin closes
      await exited;
    },
  };
}
