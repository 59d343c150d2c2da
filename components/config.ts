import * as pulumi from "@pulumi/pulumi";
import { MAX_SELECTOR_VALUES } from "./awsLimits";
import { BUCKET_KEYS, readWatchedBuckets } from "./configBuckets";
import { CONNECTOR_KEYS, readConnector } from "./configConnector";
import { CONTEXT_KEYS, readContext } from "./configContext";
import { ConfigError, ConfigProblem } from "./configErrors";
import { checkKeys, ProblemList, RawSection, readChoice, readOptionalString } from "./configReader";
import { readTags } from "./configTags";
import { checkTrailTopology, readTrail, TRAIL_KEYS } from "./configTrail";
import { S3guardConfig, ValidationContext, WatchedBucket } from "./configTypes";
import { NAMESPACE, programConfig } from "./configSource";
import { composeEventSelectors, countSelectorValues } from "./eventSelectors";
import { defaultNamePrefix, namePrefixProblem, stackNames } from "./naming";
import { ManagementEvents, PUBLIC_ACCESS_MODES } from "./vocabulary";

export * from "./configTypes";
export { NAMESPACE, readStackConfig } from "./configSource";
export { ConfigError } from "./configErrors";
export type { ConfigProblem } from "./configErrors";

/** Every top-level key under `s3guard:`; each is declared in Pulumi.yaml's `config:` too. */
export const TOP_KEYS = [
  "namePrefix",
  "watchedBuckets",
  "managementEvents",
  "blockPublicAccess",
  "trail",
  "connector",
  "context",
  "tags",
] as const;

/**
 * The keys accepted inside each top-level key that holds a mapping (or, for watchedBuckets, a list of
 * mappings); Pulumi.yaml's description of that key lists the same ones. `tags` takes any tag key.
 */
export const SECTION_KEYS: Readonly<Partial<Record<(typeof TOP_KEYS)[number], readonly string[]>>> = {
  watchedBuckets: BUCKET_KEYS,
  trail: TRAIL_KEYS,
  connector: CONNECTOR_KEYS,
  context: CONTEXT_KEYS,
};

/** `true` (default) records all management events, `write` only those that change something, `false` none. */
function readManagementEvents(problems: ProblemList, value: unknown): ManagementEvents {
  if (value === undefined || value === null || value === true) {
    return "all";
  }
  if (value === false) {
    return "none";
  }
  if (value === "write") {
    return "write";
  }
  problems.add(
    "INVALID_CHOICE",
    `${NAMESPACE}:managementEvents`,
    value,
    "not an accepted value",
    "use true (all management events), write (only calls that change something) or false (none)",
  );
  return "all";
}

/**
 * Checks raw settings against everything AWS and s3guard accept, collecting every problem.
 * Pure: no Pulumi engine, no AWS calls.
 */
export function checkConfig(
  raw: RawSection,
  context: ValidationContext,
): { config?: S3guardConfig; problems: readonly ConfigProblem[] } {
  const problems = new ProblemList(context.secrets);
  checkKeys(problems, NAMESPACE, raw, TOP_KEYS, ":");

  const prefixPath = `${NAMESPACE}:namePrefix`;
  let namePrefix = readOptionalString(problems, prefixPath, raw.namePrefix, "a short lowercase name such as s3guard-dev");
  const prefixReason = namePrefix === undefined ? undefined : namePrefixProblem(namePrefix);
  if (namePrefix !== undefined && prefixReason !== undefined) {
    problems.add("INVALID_NAME", prefixPath, namePrefix, "not a usable name prefix", `the prefix must ${prefixReason}`);
    namePrefix = undefined;
  }
  const prefix = namePrefix ?? defaultNamePrefix(context.stack, context.project);

  const watchedBuckets = readWatchedBuckets(problems, raw.watchedBuckets, stackNames(prefix));
  const trail = readTrail(problems, raw.trail, context.region);
  // An existing trail records management events already: the kit's own trail records data events only.
  const askedManagementEvents = readManagementEvents(problems, raw.managementEvents);
  const managementEvents: ManagementEvents = trail.existing !== undefined ? "none" : askedManagementEvents;
  const blockPublicAccess = readChoice(problems, `${NAMESPACE}:blockPublicAccess`, raw.blockPublicAccess, PUBLIC_ACCESS_MODES, "buckets");
  const connector = readConnector(problems, raw.connector);
  const deploymentContext = readContext(problems, raw.context);
  const tags = readTags(problems, raw.tags);

  checkSelectorBudget(problems, watchedBuckets, managementEvents);
  checkTrailTopology(problems, trail, { rawTrail: raw.trail, rawManagementEvents: raw.managementEvents, watchedBuckets });
  if (Array.isArray(raw.watchedBuckets) && raw.watchedBuckets.length === 0 && managementEvents === "none" && trail.existing === undefined) {
    problems.add(
      "CONFLICT",
      `${NAMESPACE}:watchedBuckets`,
      [],
      "nothing to record: no buckets and no management events",
      `watch at least one bucket, or set ${NAMESPACE}:managementEvents to true`,
    );
  }
  if (!trail.multiRegion && context.region !== undefined) {
    watchedBuckets.forEach((bucket, i) => {
      if (bucket.region !== undefined && bucket.region !== context.region) {
        problems.add(
          "REGION_MISMATCH",
          `${NAMESPACE}:watchedBuckets[${i}].region`,
          bucket.region,
          `outside the trail's region ${context.region} while ${NAMESPACE}:trail.multiRegion is false`,
          `a single-region trail records nothing there: set ${NAMESPACE}:trail.multiRegion to true, or stop watching the bucket`,
        );
      }
    });
  }

  if (problems.problems.length > 0) {
    return { problems: problems.problems };
  }
  return {
    config: { namePrefix: prefix, watchedBuckets, managementEvents, blockPublicAccess, trail, connector, context: deploymentContext, tags },
    problems: [],
  };
}

function checkSelectorBudget(problems: ProblemList, buckets: readonly WatchedBucket[], managementEvents: ManagementEvents): void {
  const count = countSelectorValues(composeEventSelectors({ buckets, managementEvents }));
  if (count > MAX_SELECTOR_VALUES) {
    problems.add(
      "SELECTOR_LIMIT",
      `${NAMESPACE}:watchedBuckets`,
      count,
      "needs more advanced event selector values than a trail accepts",
      `a trail accepts at most ${MAX_SELECTOR_VALUES} (one per bucket or prefix, 2 or 3 per access group, 1 or 2 for management events); watch fewer buckets or prefixes, or split them across stacks`,
    );
  }
}

/** Validated settings with defaults filled in; throws one `ConfigError` listing every problem. */
export function validateConfig(raw: RawSection, context: ValidationContext): S3guardConfig {
  const { config, problems } = checkConfig(raw, context);
  if (config === undefined) {
    throw new ConfigError(problems, context.stack);
  }
  return config;
}

/**
 * Reads and validates this stack's `s3guard:` settings from the running Pulumi program. Values are
 * read with `pulumi.Config`; secret settings reach resources only through the secret-aware getters.
 */
export function loadConfig(): S3guardConfig {
  const region = new pulumi.Config("aws").get("region");
  const { raw, secrets } = programConfig();
  return validateConfig(raw, { stack: pulumi.getStack(), project: pulumi.getProject(), ...(region !== undefined ? { region } : {}), secrets });
}
