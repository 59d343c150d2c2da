import { checkConfig } from "../../components/config";
import { ProblemCode } from "../../components/configErrors";

/** A valid configuration the cases below break one thing at a time. */
const base = { watchedBuckets: [{ name: "customer-data-dev", read: true, write: true }] };

function problemsOf(raw: Record<string, unknown>, region = "us-east-1"): Array<[ProblemCode, string]> {
  const { config, problems } = checkConfig(raw, { stack: "dev", region });
  if (problems.length > 0) {
    expect(config).toBeUndefined();
  }
  return problems.map((p) => [p.code, p.message]);
}

const bucketKeys = "accepted keys: name, read, write, prefixes, region";

describe("stack configuration problems: one message per problem, naming the key path, the value and what is accepted", () => {
  it("accepts the base configuration the cases start from", () => {
    expect(problemsOf(base)).toEqual([]);
  });

  describe("unknown keys are never ignored", () => {
    it("reports a misspelt bucket key, and that the bucket then watches nothing", () => {
      const raw = { watchedBuckets: [base.watchedBuckets[0], { name: "static-site-dev", read: false, wirte: true }] };
      expect(problemsOf(raw)).toEqual([
        ["UNKNOWN_KEY", `s3guard:watchedBuckets[1].wirte: unknown key (got true); ${bucketKeys} (did you mean "write"?)`],
        [
          "NO_ACCESS",
          's3guard:watchedBuckets[1]: watches neither reads nor writes (got {"name":"static-site-dev","read":false,"wirte":true}); set read: true, write: true, or both (a bucket with neither would record nothing)',
        ],
      ]);
    });

    it("reports a misspelt top-level key", () => {
      expect(problemsOf({ ...base, blockPublicAcess: "account" })).toEqual([
        [
          "UNKNOWN_KEY",
          's3guard:blockPublicAcess: unknown key (got "account"); accepted keys: namePrefix, watchedBuckets, managementEvents, blockPublicAccess, trail, connector, context, tags (did you mean "blockPublicAccess"?)',
        ],
      ]);
    });

    it("reports unknown keys under trail and connector, with a hint when one is close", () => {
      expect(problemsOf({ ...base, trail: { multiregion: false }, connector: { replicas: 2 } })).toEqual([
        [
          "UNKNOWN_KEY",
          "s3guard:trail.multiregion: unknown key (got false); accepted keys: multiRegion, logFileValidation, organization, logRetentionDays, kmsKeyArn, createKmsKey, objectLockDays, objectLockMode, cloudWatchLogs, cloudWatchLogsRetentionDays, accountIds, existing (did you mean \"multiRegion\"?)",
        ],
        [
          "UNKNOWN_KEY",
          "s3guard:connector.replicas: unknown key (got 2); accepted keys: enabled, image, cpu, memory, minTasks, maxTasks, scaleOutQueueDepth, alerts, minimumPriority, ruleMatching, rulesReloadSeconds, subnetIds, assignPublicIp, logGroupName, logRetentionDays, maxReceiveCount, visibilityTimeoutSeconds, snsTopicArn, webhookUrl, alarmTopicArn, outputs",
        ],
      ]);
    });
  });

  describe("watched buckets", () => {
    it("requires the list, and says how to start it", () => {
      expect(problemsOf({})).toEqual([
        [
          "MISSING_KEY",
          "s3guard:watchedBuckets: required (got nothing); list the buckets to watch, e.g. `pulumi config set --path 's3guard:watchedBuckets[0].name' my-bucket` then `... [0].write true`",
        ],
      ]);
    });

    it("rejects a list that is not a list, and an entry that is not a mapping", () => {
      expect(problemsOf({ watchedBuckets: "customer-data-dev" })).toEqual([
        ["WRONG_TYPE", 's3guard:watchedBuckets: not a list (got "customer-data-dev"); use a list of {name, read, write} entries'],
      ]);
      expect(problemsOf({ watchedBuckets: ["customer-data-dev"] })).toEqual([
        [
          "WRONG_TYPE",
          's3guard:watchedBuckets[0]: not a mapping (got "customer-data-dev"); use {name: <bucket>, read: true|false, write: true|false}',
        ],
      ]);
    });

    it("checks names against S3's naming rules and requires them", () => {
      const raw = {
        watchedBuckets: [
          { name: "Customer_Data", read: true },
          { name: "192.168.5.4", read: true },
          { name: "data-s3alias", read: true },
          { read: true },
        ],
      };
      expect(problemsOf(raw)).toEqual([
        [
          "INVALID_BUCKET_NAME",
          's3guard:watchedBuckets[0].name: not a valid S3 bucket name (got "Customer_Data"); bucket names must use only lowercase letters, digits, dots and hyphens',
        ],
        [
          "INVALID_BUCKET_NAME",
          's3guard:watchedBuckets[1].name: not a valid S3 bucket name (got "192.168.5.4"); bucket names must not be formatted as an IP address',
        ],
        [
          "INVALID_BUCKET_NAME",
          's3guard:watchedBuckets[2].name: not a valid S3 bucket name (got "data-s3alias"); bucket names must not end with the reserved suffix "-s3alias"',
        ],
        ["MISSING_KEY", "s3guard:watchedBuckets[3].name: required (got nothing); the name of an existing S3 bucket"],
      ]);
    });

    it("rejects a bucket listed twice", () => {
      const raw = { watchedBuckets: [{ name: "logs-a", read: true }, { name: "logs-b", read: true }, { name: "logs-a", write: true }] };
      expect(problemsOf(raw)).toEqual([
        [
          "DUPLICATE",
          's3guard:watchedBuckets[2].name: duplicate bucket, already at s3guard:watchedBuckets[0] (got "logs-a"); list each bucket once, with read, write and prefixes combined in one entry',
        ],
      ]);
    });

    it("rejects read and write flags that are not booleans", () => {
      expect(problemsOf({ watchedBuckets: [{ name: "logs-a", read: "yes", write: true }] })).toEqual([
        ["WRONG_TYPE", 's3guard:watchedBuckets[0].read: not a boolean (got "yes"); use true or false'],
      ]);
    });

    it("refuses this stack's own log bucket and rules bucket: each would bill a feedback loop", () => {
      const raw = {
        watchedBuckets: [
          { name: "s3guard-dev-trail-logs-1a2b3c4", read: true, write: true },
          { name: "s3guard-dev-connector-rules-1a2b3c4", read: true },
        ],
      };
      expect(problemsOf(raw)).toEqual([
        [
          "FEEDBACK_LOOP",
          's3guard:watchedBuckets[0].name: is this stack\'s own CloudTrail log bucket (got "s3guard-dev-trail-logs-1a2b3c4"); remove it: every log file CloudTrail delivers there would be recorded, billed and delivered again',
        ],
        [
          "FEEDBACK_LOOP",
          's3guard:watchedBuckets[1].name: is this stack\'s own rules bucket (got "s3guard-dev-connector-rules-1a2b3c4"); remove it: the connector reads it on every rules reload, and each read would be recorded and billed',
        ],
      ]);
    });

    it("recognises the stack's own buckets under a custom name prefix too", () => {
      const raw = { namePrefix: "acme", watchedBuckets: [{ name: "acme-trail-logs-9f8e7d6", read: true }, { name: "s3guard-dev-trail-logs-1", read: true }] };
      expect(problemsOf(raw).map(([code, message]) => [code, message.split(" (got")[0]])).toEqual([
        ["FEEDBACK_LOOP", "s3guard:watchedBuckets[0].name: is this stack's own CloudTrail log bucket"],
      ]);
    });

    it("checks key prefixes: trailing slash, no leading slash, no wildcard, not empty, not repeated, not nested", () => {
      const raw = { watchedBuckets: [{ name: "static-site-dev", write: true, prefixes: ["uploads", "/tmp/", "*/", "", "a/", "a/b/", "a/"] }] };
      expect(problemsOf(raw)).toEqual([
        [
          "INVALID_PREFIX",
          's3guard:watchedBuckets[0].prefixes[0]: does not end with / (got "uploads"); end it with / (e.g. uploads/) so it cannot match uploads-old/ too',
        ],
        [
          "INVALID_PREFIX",
          's3guard:watchedBuckets[0].prefixes[1]: starts with / (got "/tmp/"); S3 keys have no leading slash: write uploads/, not /uploads/',
        ],
        [
          "INVALID_PREFIX",
          's3guard:watchedBuckets[0].prefixes[2]: contains * (got "*/"); CloudTrail selectors have no wildcards; a prefix already matches every key under it',
        ],
        ["INVALID_PREFIX", 's3guard:watchedBuckets[0].prefixes[3]: empty prefix (got ""); omit prefixes to watch the whole bucket'],
        [
          "DUPLICATE",
          's3guard:watchedBuckets[0].prefixes[6]: duplicate prefix, already at s3guard:watchedBuckets[0].prefixes[4] (got "a/"); list each prefix once',
        ],
        ["INVALID_PREFIX", 's3guard:watchedBuckets[0].prefixes[5]: already covered by prefix "a/" (got "a/b/"); remove the narrower prefix'],
      ]);
    });

    it("rejects a region that is not a region code", () => {
      expect(problemsOf({ watchedBuckets: [{ name: "eu-data", read: true, region: "Ireland" }] })).toEqual([
        ["INVALID_CHOICE", 's3guard:watchedBuckets[0].region: not an AWS region code (got "Ireland"); use a region code such as eu-west-1'],
      ]);
    });

    it("rejects a bucket in another region when the trail records only its own region", () => {
      const raw = { watchedBuckets: [{ name: "eu-data", read: true, region: "eu-west-1" }], trail: { multiRegion: false } };
      expect(problemsOf(raw)).toEqual([
        [
          "REGION_MISMATCH",
          's3guard:watchedBuckets[0].region: outside the trail\'s region us-east-1 while s3guard:trail.multiRegion is false (got "eu-west-1"); a single-region trail records nothing there: set s3guard:trail.multiRegion to true, or stop watching the bucket',
        ],
      ]);
      expect(problemsOf({ ...raw, trail: { multiRegion: true } })).toEqual([]);
    });

    it("rejects more selector values than a trail accepts, counting management events", () => {
      const buckets = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `bucket-${i}`, read: true, write: true }));
      expect(problemsOf({ watchedBuckets: buckets(497) })).toEqual([]);
      expect(problemsOf({ watchedBuckets: buckets(498) })).toEqual([
        [
          "SELECTOR_LIMIT",
          "s3guard:watchedBuckets: needs more advanced event selector values than a trail accepts (got 501); a trail accepts at most 500 (one per bucket or prefix, 2 or 3 per access group, 1 or 2 for management events); watch fewer buckets or prefixes, or split them across stacks",
        ],
      ]);
      expect(problemsOf({ watchedBuckets: buckets(498), managementEvents: false })).toEqual([]);
    });

    it("rejects a stack that would record nothing at all", () => {
      expect(problemsOf({ watchedBuckets: [], managementEvents: false })).toEqual([
        [
          "CONFLICT",
          "s3guard:watchedBuckets: nothing to record: no buckets and no management events (got []); watch at least one bucket, or set s3guard:managementEvents to true",
        ],
      ]);
    });
  });

  describe("top-level choices", () => {
    it("rejects unknown values of managementEvents and blockPublicAccess", () => {
      expect(problemsOf({ ...base, managementEvents: "yes", blockPublicAccess: "acount" })).toEqual([
        [
          "INVALID_CHOICE",
          's3guard:managementEvents: not an accepted value (got "yes"); use true (all management events), write (only calls that change something) or false (none)',
        ],
        ["INVALID_CHOICE", 's3guard:blockPublicAccess: not an accepted value (got "acount"); use one of buckets, account, off'],
      ]);
    });

    it("rejects a name prefix that would make invalid bucket, trail or role names", () => {
      expect(problemsOf({ ...base, namePrefix: "Prod" })).toEqual([
        [
          "INVALID_NAME",
          's3guard:namePrefix: not a usable name prefix (got "Prod"); the prefix must start with a lowercase letter, use only lowercase letters, digits and hyphens, and end with a letter or digit',
        ],
      ]);
    });

    it("rejects tags AWS would refuse on some resource, or that s3guard sets itself", () => {
      expect(problemsOf({ ...base, tags: { "aws:team": "x", team: 5, "s3guard:stack": "x", owner: "me@example.com", fine: "ok" } })).toEqual([
        ["INVALID_TAG", 's3guard:tags.aws:team: not a usable tag key (got "aws:team"); keys starting with "aws:" are reserved by AWS'],
        ["WRONG_TYPE", 's3guard:tags.team: not a string (got 5); tag values are strings: quote numbers and booleans, e.g. "1234"'],
        ["INVALID_TAG", 's3guard:tags.s3guard:stack: not a usable tag key (got "s3guard:stack"); keys starting with "s3guard:" are set by s3guard itself'],
        [
          "INVALID_TAG",
          's3guard:tags.owner: not a usable tag value (got "me@example.com"); use at most 256 letters, digits, spaces and _ . : / = + -',
        ],
      ]);
    });

    it("rejects more tags than fit next to s3guard's own two", () => {
      const tags = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`tag-${i}`, "x"]));
      expect(problemsOf({ ...base, tags })).toEqual([
        [
          "OUT_OF_RANGE",
          "s3guard:tags: too many tags (got 49); use at most 48: AWS allows 50 per resource and s3guard adds s3guard:stack and s3guard:component",
        ],
      ]);
    });
  });

  describe("trail settings", () => {
    it("rejects numbers out of range or of the wrong kind", () => {
      expect(problemsOf({ ...base, trail: { logRetentionDays: 0, cloudWatchLogsRetentionDays: 100 } })).toEqual([
        [
          "INVALID_CHOICE",
          "s3guard:trail.cloudWatchLogsRetentionDays: not a CloudWatch Logs retention period (got 100); use one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (0 keeps events forever)",
        ],
        ["OUT_OF_RANGE", "s3guard:trail.logRetentionDays: out of range (got 0); use a whole number from 1 to 36500"],
      ]);
      expect(problemsOf({ ...base, trail: { logRetentionDays: "365", multiRegion: "true" } })).toEqual([
        ["WRONG_TYPE", 's3guard:trail.multiRegion: not a boolean (got "true"); use true or false'],
        ["WRONG_TYPE", 's3guard:trail.logRetentionDays: not a whole number (got "365"); use a whole number from 1 to 36500'],
      ]);
    });

    it("rejects a KMS alias where a key ARN is needed", () => {
      expect(problemsOf({ ...base, trail: { kmsKeyArn: "alias/cloudtrail" } })).toEqual([
        [
          "INVALID_ARN",
          's3guard:trail.kmsKeyArn: not a KMS key ARN (got "alias/cloudtrail"); use "" for S3-managed encryption, or a key ARN like arn:aws:kms:us-east-1:111122223333:key/<key-id>',
        ],
      ]);
    });

    it("rejects a trail section that is not a mapping", () => {
      expect(problemsOf({ ...base, trail: "multi" })).toEqual([
        [
          "WRONG_TYPE",
          's3guard:trail: not a mapping of keys to values (got "multi"); use keys: multiRegion, logFileValidation, organization, logRetentionDays, kmsKeyArn, createKmsKey, objectLockDays, objectLockMode, cloudWatchLogs, cloudWatchLogsRetentionDays, accountIds, existing',
        ],
      ]);
    });
  });

  describe("connector settings", () => {
    it("rejects cpu/memory pairs Fargate does not offer", () => {
      expect(problemsOf({ ...base, connector: { cpu: 256, memory: 4096 } })).toEqual([
        [
          "FARGATE_SIZE",
          "s3guard:connector.memory: Fargate offers no task with cpu 256 and this much memory (got 4096); with cpu 256 use memory 512, 1024 or 2048",
        ],
      ]);
      expect(problemsOf({ ...base, connector: { cpu: 2048, memory: 2048 } })).toEqual([
        [
          "FARGATE_SIZE",
          "s3guard:connector.memory: Fargate offers no task with cpu 2048 and this much memory (got 2048); with cpu 2048 use memory 4096 to 16384 in steps of 1024",
        ],
      ]);
      expect(problemsOf({ ...base, connector: { cpu: 300 } })).toEqual([
        ["FARGATE_SIZE", "s3guard:connector.cpu: not a Fargate CPU size (got 300); use one of 256, 512, 1024, 2048, 4096, 8192, 16384"],
      ]);
    });

    it("rejects task counts out of range and a minimum above the maximum", () => {
      expect(problemsOf({ ...base, connector: { maxTasks: 500, minTasks: -1 } })).toEqual([
        ["OUT_OF_RANGE", "s3guard:connector.minTasks: out of range (got -1); use a whole number from 0 to 100"],
        ["OUT_OF_RANGE", "s3guard:connector.maxTasks: out of range (got 500); use a whole number from 1 to 100"],
      ]);
      expect(problemsOf({ ...base, connector: { minTasks: 3, maxTasks: 2 } })).toEqual([
        ["CONFLICT", "s3guard:connector.minTasks: greater than maxTasks (2) (got 3); set minTasks at most maxTasks"],
      ]);
    });

    it("rejects unknown, repeated or missing alert destinations and their missing settings", () => {
      expect(problemsOf({ ...base, connector: { alerts: ["sns", "pager", "sns", "webhook"] } })).toEqual([
        ["INVALID_CHOICE", 's3guard:connector.alerts[1]: not an alert destination (got "pager"); use one of stdout, cloudwatch, securityhub, sns, webhook'],
        ["DUPLICATE", 's3guard:connector.alerts[2]: duplicate destination, already at s3guard:connector.alerts[0] (got "sns"); list each destination once'],
        [
          "MISSING_KEY",
          "s3guard:connector.snsTopicArn: required because connector.alerts includes sns (got nothing); an SNS topic ARN like arn:aws:sns:us-east-1:111122223333:alerts",
        ],
        ["MISSING_KEY", "s3guard:connector.webhookUrl: required because connector.alerts includes webhook (got nothing); an https:// URL"],
      ]);
      expect(problemsOf({ ...base, connector: { alerts: [] } })).toEqual([
        ["INVALID_CHOICE", "s3guard:connector.alerts: no alert destination (got []); name at least one of stdout, cloudwatch, securityhub, sns, webhook"],
      ]);
    });

    it("rejects a clear-text webhook and malformed topic ARNs", () => {
      const connector = { alerts: ["webhook", "sns"], webhookUrl: "http://hooks.example.com", snsTopicArn: "alerts", alarmTopicArn: "arn:aws:sqs:us-east-1:111122223333:q" };
      expect(problemsOf({ ...base, connector })).toEqual([
        [
          "INVALID_ARN",
          's3guard:connector.snsTopicArn: not an SNS topic ARN (got "alerts"); an SNS topic ARN like arn:aws:sns:us-east-1:111122223333:alerts',
        ],
        [
          "INVALID_ARN",
          's3guard:connector.alarmTopicArn: not an SNS topic ARN (got "arn:aws:sqs:us-east-1:111122223333:q"); an SNS topic ARN like arn:aws:sns:us-east-1:111122223333:alerts',
        ],
        [
          "INVALID_SECRET",
          "s3guard:connector.webhookUrl: not an https URL (got [secret]); use an https:// URL (alerts must not travel in clear text)",
        ],
      ]);
    });

    it("rejects malformed subnets, and no public IP in the default VPC's public subnets", () => {
      expect(problemsOf({ ...base, connector: { subnetIds: ["subnet-1", "subnet-0123456789abcdef0", "subnet-0123456789abcdef0"] } })).toEqual([
        [
          "INVALID_ID",
          's3guard:connector.subnetIds[0]: not a subnet ID (got "subnet-1"); use [] for the default VPC, or a list of subnet IDs like subnet-0123456789abcdef0',
        ],
        [
          "DUPLICATE",
          's3guard:connector.subnetIds[2]: duplicate subnet, already at s3guard:connector.subnetIds[1] (got "subnet-0123456789abcdef0"); list each subnet once',
        ],
      ]);
      expect(problemsOf({ ...base, connector: { assignPublicIp: false } })).toEqual([
        [
          "CONFLICT",
          "s3guard:connector.assignPublicIp: a task without a public IP in the default VPC cannot pull its image or reach AWS (got false); set assignPublicIp: true, or list private subnets with a NAT gateway or VPC endpoints in connector.subnetIds",
        ],
      ]);
      expect(problemsOf({ ...base, connector: { assignPublicIp: false, subnetIds: ["subnet-0123456789abcdef0"] } })).toEqual([]);
    });

    it("rejects other out-of-range numbers and choices", () => {
      const connector = {
        minimumPriority: "warn",
        ruleMatching: "any",
        rulesReloadSeconds: 5,
        logRetentionDays: 10,
        maxReceiveCount: 0,
        visibilityTimeoutSeconds: 50000,
        scaleOutQueueDepth: 0,
        logGroupName: "cloud connector!",
        image: "my image",
        enabled: "yes",
      };
      expect(problemsOf({ ...base, connector })).toEqual([
        ["INVALID_NAME", 's3guard:connector.logGroupName: not a CloudWatch Logs group name (got "cloud connector!"); use 1 to 512 of A-Z a-z 0-9 _ - / . #'],
        [
          "INVALID_CHOICE",
          "s3guard:connector.logRetentionDays: not a CloudWatch Logs retention period (got 10); use one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (0 keeps events forever)",
        ],
        [
          "INVALID_NAME",
          's3guard:connector.image: not an image pinned by its sha256 digest (got "my image"); use "" to build detector/Dockerfile, or an image pinned by digest like 111122223333.dkr.ecr.us-east-1.amazonaws.com/s3guard@sha256:<64 hex digits> (docs/deploying.md, "The connector image")',
        ],
        ["WRONG_TYPE", 's3guard:connector.enabled: not a boolean (got "yes"); use true or false'],
        ["OUT_OF_RANGE", "s3guard:connector.scaleOutQueueDepth: out of range (got 0); use a whole number from 1 to 100000"],
        [
          "INVALID_CHOICE",
          's3guard:connector.minimumPriority: not an accepted value (got "warn"); use one of emergency, alert, critical, error, warning, notice, informational, debug',
        ],
        ["INVALID_CHOICE", 's3guard:connector.ruleMatching: not an accepted value (got "any"); use one of first, all'],
        ["OUT_OF_RANGE", "s3guard:connector.rulesReloadSeconds: out of range (got 5); use a whole number from 10 to 86400"],
        ["OUT_OF_RANGE", "s3guard:connector.maxReceiveCount: out of range (got 0); use a whole number from 1 to 1000"],
        ["OUT_OF_RANGE", "s3guard:connector.visibilityTimeoutSeconds: out of range (got 50000); use a whole number from 30 to 43200"],
      ]);
    });

    it("still checks a disabled connector's settings, so a typo is caught before it is switched on", () => {
      expect(problemsOf({ ...base, connector: { enabled: false, memmory: 1024 } }).map(([code]) => code)).toEqual(["UNKNOWN_KEY"]);
    });
  });

  describe("deployment context", () => {
    it("accepts trusted accounts, networks (IPv4 and IPv6) and an organization", () => {
      const { config } = checkConfig(
        { ...base, context: { trustedAccounts: ["012345678901"], trustedNetworks: ["203.0.113.0/24", "198.51.100.7", "2001:db8::/32"], organizationId: "o-a1b2c3d4e5" } },
        { stack: "dev", region: "us-east-1" },
      );
      expect(config?.context).toEqual({ trustedAccounts: ["012345678901"], trustedNetworks: ["203.0.113.0/24", "198.51.100.7", "2001:db8::/32"], organizationId: "o-a1b2c3d4e5" });
    });

    it("names each network that is not one, why, and how to write it", () => {
      expect(problemsOf({ ...base, context: { trustedNetworks: ["10.0.0/8", "10.1.2.3/8", "10.0.0.0/40", "office"] } })).toEqual([
        [
          "INVALID_NETWORK",
          's3guard:context.trustedNetworks[0]: is not an IP network: write an address (203.0.113.7) or a CIDR block (203.0.113.0/24, 2001:db8::/32) (got "10.0.0/8"); use a list of addresses or CIDR blocks, IPv4 or IPv6, like [203.0.113.0/24, 2001:db8::/32]',
        ],
        [
          "INVALID_NETWORK",
          's3guard:context.trustedNetworks[1]: has host bits set below its /8 prefix: write 10.0.0.0/8 for the block, or the address alone (got "10.1.2.3/8"); use a list of addresses or CIDR blocks, IPv4 or IPv6, like [203.0.113.0/24, 2001:db8::/32]',
        ],
        [
          "INVALID_NETWORK",
          's3guard:context.trustedNetworks[2]: is not an IP network: the prefix length must be 0 to 32 (got "10.0.0.0/40"); use a list of addresses or CIDR blocks, IPv4 or IPv6, like [203.0.113.0/24, 2001:db8::/32]',
        ],
        [
          "INVALID_NETWORK",
          's3guard:context.trustedNetworks[3]: is not an IP network: write an address (203.0.113.7) or a CIDR block (203.0.113.0/24, 2001:db8::/32) (got "office"); use a list of addresses or CIDR blocks, IPv4 or IPv6, like [203.0.113.0/24, 2001:db8::/32]',
        ],
      ]);
    });

    it("wants account ids as quoted 12-digit strings, each once, and an organization id as o-...", () => {
      expect(problemsOf({ ...base, context: { trustedAccounts: [12345678901, "1111-2222-3333", "444455556666", "444455556666"], organizationId: "r-abcd" } })).toEqual([
        ["WRONG_TYPE", 's3guard:context.trustedAccounts[0]: not a string (got 12345678901); use a list of 12-digit account ids in quotes, like ["111122223333"] (unquoted, YAML reads a leading 0 away)'],
        ["INVALID_ID", 's3guard:context.trustedAccounts[1]: not a 12-digit AWS account id (got "1111-2222-3333"); use a list of 12-digit account ids in quotes, like ["111122223333"] (unquoted, YAML reads a leading 0 away)'],
        ["DUPLICATE", 's3guard:context.trustedAccounts[3]: duplicate account, already at s3guard:context.trustedAccounts[2] (got "444455556666"); list each account once'],
        ["INVALID_ID", 's3guard:context.organizationId: not an organization id (got "r-abcd"); use the id of your AWS organization, like o-a1b2c3d4e5 (aws organizations describe-organization)'],
      ]);
    });

    it("reports a misspelt key of the section", () => {
      expect(problemsOf({ ...base, context: { trustedNetwork: ["10.0.0.0/8"] } })).toEqual([
        ["UNKNOWN_KEY", expect.stringContaining('s3guard:context.trustedNetwork: unknown key (got ["10.0.0.0/8"]); accepted keys: trustedAccounts, trustedNetworks, organizationId (did you mean "trustedNetworks"?)')],
      ]);
    });
  });

  it("collects every problem of a configuration at once", () => {
    const raw = {
      watchedBuckets: [{ name: "Bad", read: true }, { name: "ok-bucket" }],
      blockPublicAccess: "everything",
      connector: { cpu: 512, memory: 512 },
    };
    expect(problemsOf(raw).map(([code]) => code)).toEqual(["INVALID_BUCKET_NAME", "NO_ACCESS", "INVALID_CHOICE", "FARGATE_SIZE"]);
  });
});
