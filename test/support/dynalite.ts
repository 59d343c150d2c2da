import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * DynamoDB for tests: dynalite (npm), a DynamoDB-compatible server on LevelDB, started in this
 * process on a free port and spoken to over HTTP with the real AWS SDK.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number; path?: string }) => Server;

export interface LocalDynamo {
  endpoint: string;
  /** A client for this endpoint, with dummy credentials (dynalite does not check signatures). */
  client(): DynamoDBClient;
  close(): Promise<void>;
}

/** Environment that points the SDK of a child process at this endpoint. */
export function dynamoEnv(endpoint: string): NodeJS.ProcessEnv {
  return { AWS_ENDPOINT_URL_DYNAMODB: endpoint, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
}

export async function startDynalite(path?: string): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path ? { path } : {}) });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: DynamoDBClient[] = [];
  return {
    endpoint,
    client() {
      const c = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

let tables = 0;

/** A table with the state store's contract: pk (S) and sk (S), on-demand. Returns its name. */
export async function createStateTable(client: DynamoDBClient, name = `s3guard-state-${process.pid}-${++tables}`): Promise<string> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
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
  return name;
}
