/** State stores for stateful rules: in memory, or a DynamoDB table shared by connector tasks. */
export type { DocKey, DocMeta, EvictionReport, SaveRequest, StateDoc, StateStore, StoreMetrics } from "./store";
export { MemoryStore } from "./memory";
export type { MemoryStoreOptions } from "./memory";
export { defaultStateBudget } from "./memory";
export { DynamoDbStore } from "./dynamodb";
export type { DynamoDbStoreOptions } from "./dynamodb";
export { stateStoreFromEnv, describeStore } from "./fromEnv";
