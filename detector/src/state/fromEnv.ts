import type { DynamoDbStore } from "./dynamodb";
import { MemoryStore } from "./memory";
import type { StateStore } from "./store";

/**
 * The state store a process should use: the DynamoDB table named by `S3GUARD_STATE_TABLE` when it
 * is set (several connector tasks then count together), else memory. The SDK finds the region and
 * endpoint itself (AWS_REGION, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_DYNAMODB).
 */
export function stateStoreFromEnv(env: NodeJS.ProcessEnv = process.env): StateStore {
  const table = env.S3GUARD_STATE_TABLE?.trim();
  if (!table) return new MemoryStore();
  // Loaded only when a table is configured: the DynamoDB client weighs on every start otherwise.
  const { DynamoDbStore: Store } = require("./dynamodb") as typeof import("./dynamodb");
  return new Store({ table });
}

/** Where state lives, in words, for logs and `--summary`. */
export function describeStore(store: StateStore): string {
  return store instanceof MemoryStore ? "memory" : `DynamoDB table ${(store as DynamoDbStore).table}`;
}
