import { MAX_OBJECT_PREFIX_LENGTH } from "./awsLimits";
import { bucketNameProblem } from "./bucketNames";
import { checkKeys, checkUnique, isRecord, ProblemList, readBoolean, readOptionalString, readStringList } from "./configReader";
import { WatchedBucket } from "./configTypes";
import { StackNames } from "./naming";

const PATH = "s3guard:watchedBuckets";
export const BUCKET_KEYS = ["name", "read", "write", "prefixes", "region"] as const;

/** AWS region codes: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ... */
export const REGION_CODE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/** `s3guard:watchedBuckets`: required list of `{name, read, write, prefixes?, region?}`. */
export function readWatchedBuckets(problems: ProblemList, value: unknown, names: StackNames): WatchedBucket[] {
  if (value === undefined || value === null) {
    problems.add(
      "MISSING_KEY",
      PATH,
      undefined,
      "required",
      "list the buckets to watch, e.g. `pulumi config set --path 's3guard:watchedBuckets[0].name' my-bucket` then `... [0].write true`",
    );
    return [];
  }
  if (!Array.isArray(value)) {
    problems.add("WRONG_TYPE", PATH, value, "not a list", "use a list of {name, read, write} entries");
    return [];
  }
  const buckets: WatchedBucket[] = [];
  const indexOf = new Map<WatchedBucket, number>();
  value.forEach((item, i) => {
    const bucket = readBucket(problems, `${PATH}[${i}]`, item, names);
    if (bucket !== undefined) {
      buckets.push(bucket);
      indexOf.set(bucket, i);
    }
  });
  const firstIndex = new Map<string, number>();
  for (const bucket of buckets) {
    const i = indexOf.get(bucket) as number;
    const earlier = firstIndex.get(bucket.name);
    if (earlier === undefined) {
      firstIndex.set(bucket.name, i);
    } else {
      problems.add(
        "DUPLICATE",
        `${PATH}[${i}].name`,
        bucket.name,
        `duplicate bucket, already at ${PATH}[${earlier}]`,
        "list each bucket once, with read, write and prefixes combined in one entry",
      );
    }
  }
  return buckets;
}

function readBucket(problems: ProblemList, path: string, item: unknown, names: StackNames): WatchedBucket | undefined {
  if (!isRecord(item)) {
    problems.add("WRONG_TYPE", path, item, "not a mapping", "use {name: <bucket>, read: true|false, write: true|false}");
    return undefined;
  }
  checkKeys(problems, path, item, BUCKET_KEYS);
  const name = readBucketName(problems, `${path}.name`, item.name, names);
  const read = readBoolean(problems, `${path}.read`, item.read, false);
  const write = readBoolean(problems, `${path}.write`, item.write, false);
  const readOk = item.read === undefined || typeof item.read === "boolean";
  const writeOk = item.write === undefined || typeof item.write === "boolean";
  if (!read && !write && readOk && writeOk) {
    problems.add(
      "NO_ACCESS",
      path,
      item,
      "watches neither reads nor writes",
      "set read: true, write: true, or both (a bucket with neither would record nothing)",
    );
  }
  const prefixes = readPrefixes(problems, `${path}.prefixes`, item.prefixes);
  const region = readOptionalString(problems, `${path}.region`, item.region, "use a region code such as eu-west-1");
  if (region !== undefined && !REGION_CODE.test(region)) {
    problems.add("INVALID_CHOICE", `${path}.region`, region, "not an AWS region code", "use a region code such as eu-west-1");
  }
  if (name === undefined) {
    return undefined;
  }
  const access = read && write ? "read-write" : read ? "read" : "write";
  return region === undefined ? { name, access, prefixes } : { name, access, prefixes, region };
}

function readBucketName(problems: ProblemList, path: string, value: unknown, names: StackNames): string | undefined {
  if (value === undefined || value === null || value === "") {
    problems.add("MISSING_KEY", path, value, "required", "the name of an existing S3 bucket");
    return undefined;
  }
  if (typeof value !== "string") {
    problems.add("WRONG_TYPE", path, value, "not a string", "the name of an existing S3 bucket");
    return undefined;
  }
  const reason = bucketNameProblem(value);
  if (reason !== undefined) {
    problems.add("INVALID_BUCKET_NAME", path, value, "not a valid S3 bucket name", `bucket names must ${reason}`);
    return undefined;
  }
  if (value.startsWith(names.logBucketPrefix)) {
    problems.add(
      "FEEDBACK_LOOP",
      path,
      value,
      "is this stack's own CloudTrail log bucket",
      "remove it: every log file CloudTrail delivers there would be recorded, billed and delivered again",
    );
  } else if (value.startsWith(names.rulesBucketPrefix)) {
    problems.add(
      "FEEDBACK_LOOP",
      path,
      value,
      "is this stack's own rules bucket",
      "remove it: the connector reads it on every rules reload, and each read would be recorded and billed",
    );
  }
  return value;
}

function readPrefixes(problems: ProblemList, path: string, value: unknown): string[] {
  const accepted = "use a list of object key prefixes that end in /, e.g. [uploads/]";
  const prefixes = readStringList(problems, path, value, accepted);
  const valid: string[] = [];
  prefixes.forEach((prefix, i) => {
    const reason = prefixProblem(prefix);
    if (reason === undefined) {
      valid.push(prefix);
    } else {
      problems.add("INVALID_PREFIX", `${path}[${i}]`, prefix, reason.wrong, reason.accepted);
    }
  });
  checkUnique(problems, path, prefixes, "prefix");
  prefixes.forEach((prefix, i) => {
    const wider = valid.find((other) => other !== prefix && prefix.startsWith(other));
    if (wider !== undefined) {
      problems.add("INVALID_PREFIX", `${path}[${i}]`, prefix, `already covered by prefix "${wider}"`, "remove the narrower prefix");
    }
  });
  return valid;
}

function prefixProblem(prefix: string): { wrong: string; accepted: string } | undefined {
  if (prefix === "") {
    return { wrong: "empty prefix", accepted: "omit prefixes to watch the whole bucket" };
  }
  if (prefix.startsWith("/")) {
    return { wrong: "starts with /", accepted: "S3 keys have no leading slash: write uploads/, not /uploads/" };
  }
  if (prefix.includes("*")) {
    return {
      wrong: "contains *",
      accepted: "CloudTrail selectors have no wildcards; a prefix already matches every key under it",
    };
  }
  if (!prefix.endsWith("/")) {
    return { wrong: "does not end with /", accepted: `end it with / (e.g. ${prefix}/) so it cannot match ${prefix}-old/ too` };
  }
  if (prefix.length > MAX_OBJECT_PREFIX_LENGTH) {
    return { wrong: "longer than an S3 key can be", accepted: `use at most ${MAX_OBJECT_PREFIX_LENGTH} characters` };
  }
  return undefined;
}
