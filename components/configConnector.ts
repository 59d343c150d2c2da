import {
  LOG_RETENTION_DAYS,
  MAX_RECEIVE_COUNT,
  MAX_SERVICE_SUBNETS,
  MAX_VISIBILITY_TIMEOUT_SECONDS,
} from "./awsLimits";
import {
  checkUnique,
  ProblemList,
  readBoolean,
  readChoice,
  readInteger,
  readOptionalString,
  readSection,
  readStringList,
} from "./configReader";
import { readSecret } from "./configSecret";
import { readOutputs } from "./configOutputs";
import { ConnectorSettings } from "./configTypes";
import { hasUserInfo } from "../detector/src/alerts/outputs/urls";
import { IMAGE_BY_DIGEST } from "./connector/image";
import { describeMemoryChoices, FARGATE_CPUS, isFargateSize } from "./fargateSizes";
import { ALERT_SINKS, AlertSink, PRIORITIES, RULE_MATCHING } from "./vocabulary";

const PATH = "s3guard:connector";
export const CONNECTOR_KEYS = [
  "enabled",
  "image",
  "cpu",
  "memory",
  "minTasks",
  "maxTasks",
  "scaleOutQueueDepth",
  "alerts",
  "minimumPriority",
  "ruleMatching",
  "rulesReloadSeconds",
  "subnetIds",
  "assignPublicIp",
  "logGroupName",
  "logRetentionDays",
  "maxReceiveCount",
  "visibilityTimeoutSeconds",
  "snsTopicArn",
  "webhookUrl",
  "alarmTopicArn",
  "outputs",
] as const;

export const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
export const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** CloudWatch Logs group names: 1–512 of a-z A-Z 0-9 _ - / . # */
export const LOG_GROUP_NAME = /^[A-Za-z0-9_\-/.#]{1,512}$/;

/** Most tasks the service may scale to; a guard against a typo that would run (and bill) hundreds. */
export const MAX_TASKS_LIMIT = 100;

export const CONNECTOR_DEFAULTS: ConnectorSettings = {
  enabled: true,
  cpu: 256,
  memory: 512,
  minTasks: 1,
  maxTasks: 4,
  scaleOutQueueDepth: 10,
  alerts: ["cloudwatch"],
  minimumPriority: "notice",
  ruleMatching: "first",
  rulesReloadSeconds: 60,
  subnetIds: [],
  assignPublicIp: true,
  logRetentionDays: 90,
  maxReceiveCount: 5,
  visibilityTimeoutSeconds: 300,
};

/** Reads `s3guard:connector`; every key is optional. */
export function readConnector(problems: ProblemList, value: unknown): ConnectorSettings {
  const raw = readSection(problems, PATH, value, CONNECTOR_KEYS);
  if (raw === undefined) {
    return CONNECTOR_DEFAULTS;
  }
  const d = CONNECTOR_DEFAULTS;
  const int = (key: string, fallback: number, min: number, max: number): number =>
    readInteger(problems, `${PATH}.${key}`, raw[key], fallback, min, max);

  const { cpu, memory } = readTaskSize(problems, raw.cpu, raw.memory);
  const minTasks = int("minTasks", d.minTasks, 0, MAX_TASKS_LIMIT);
  const maxTasks = int("maxTasks", d.maxTasks, 1, MAX_TASKS_LIMIT);
  if (minTasks > maxTasks) {
    problems.add("CONFLICT", `${PATH}.minTasks`, minTasks, `greater than maxTasks (${maxTasks})`, "set minTasks at most maxTasks");
  }
  const alerts = readAlerts(problems, raw.alerts);
  const subnetIds = readSubnets(problems, raw.subnetIds);
  const assignPublicIp = readBoolean(problems, `${PATH}.assignPublicIp`, raw.assignPublicIp, d.assignPublicIp);
  const subnetsListed = Array.isArray(raw.subnetIds) && raw.subnetIds.length > 0;
  if (!assignPublicIp && !subnetsListed && (raw.subnetIds == null || Array.isArray(raw.subnetIds))) {
    problems.add(
      "CONFLICT",
      `${PATH}.assignPublicIp`,
      false,
      "a task without a public IP in the default VPC cannot pull its image or reach AWS",
      "set assignPublicIp: true, or list private subnets with a NAT gateway or VPC endpoints in connector.subnetIds",
    );
  }
  const logGroupName = readOptionalString(problems, `${PATH}.logGroupName`, raw.logGroupName, "a CloudWatch Logs group name");
  if (logGroupName !== undefined && !LOG_GROUP_NAME.test(logGroupName)) {
    problems.add("INVALID_NAME", `${PATH}.logGroupName`, logGroupName, "not a CloudWatch Logs group name", "use 1 to 512 of A-Z a-z 0-9 _ - / . #");
  }
  const logRetentionDays = int("logRetentionDays", d.logRetentionDays, 0, 3653);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    problems.add(
      "INVALID_CHOICE",
      `${PATH}.logRetentionDays`,
      logRetentionDays,
      "not a CloudWatch Logs retention period",
      `use one of ${LOG_RETENTION_DAYS.join(", ")} (0 keeps events forever)`,
    );
  }
  const imageAccepted =
    'use "" to build detector/Dockerfile, or an image pinned by digest like 111122223333.dkr.ecr.us-east-1.amazonaws.com/s3guard@sha256:<64 hex digits> (docs/deploying.md, "The connector image")';
  const image = readOptionalString(problems, `${PATH}.image`, raw.image, imageAccepted);
  if (image !== undefined && !IMAGE_BY_DIGEST.test(image)) {
    // A tag can move: the same stack would run another image after a push, and previews would not show it.
    problems.add("INVALID_NAME", `${PATH}.image`, image, "not an image pinned by its sha256 digest", imageAccepted);
  }
  const topics = readTopics(problems, raw, alerts);
  const outputs = readOutputs(problems, raw.outputs);
  if (raw.outputs !== undefined && raw.outputs !== null) {
    for (const older of ["alerts", "snsTopicArn", "webhookUrl"]) {
      if (isSet(raw[older])) {
        problems.add("CONFLICT", `${PATH}.${older}`, raw[older], "given together with connector.outputs", "give the destinations in connector.outputs only (alerts, snsTopicArn and webhookUrl are the older form); see docs/outputs.md");
      }
    }
  }

  return {
    enabled: readBoolean(problems, `${PATH}.enabled`, raw.enabled, d.enabled),
    ...(image !== undefined && IMAGE_BY_DIGEST.test(image) ? { image } : {}),
    cpu,
    memory,
    minTasks,
    maxTasks,
    scaleOutQueueDepth: int("scaleOutQueueDepth", d.scaleOutQueueDepth, 1, 100000),
    alerts,
    minimumPriority: readChoice(problems, `${PATH}.minimumPriority`, raw.minimumPriority, PRIORITIES, d.minimumPriority),
    ruleMatching: readChoice(problems, `${PATH}.ruleMatching`, raw.ruleMatching, RULE_MATCHING, d.ruleMatching),
    rulesReloadSeconds: int("rulesReloadSeconds", d.rulesReloadSeconds, 10, 86400),
    subnetIds,
    assignPublicIp,
    ...(logGroupName !== undefined && LOG_GROUP_NAME.test(logGroupName) ? { logGroupName } : {}),
    logRetentionDays,
    maxReceiveCount: int("maxReceiveCount", d.maxReceiveCount, 1, MAX_RECEIVE_COUNT),
    visibilityTimeoutSeconds: int("visibilityTimeoutSeconds", d.visibilityTimeoutSeconds, 30, MAX_VISIBILITY_TIMEOUT_SECONDS),
    ...topics,
    ...(outputs !== undefined ? { outputs: outputs.outputs, outputSecrets: outputs.secrets } : {}),
  };
}

function readTaskSize(problems: ProblemList, rawCpu: unknown, rawMemory: unknown): { cpu: number; memory: number } {
  const d = CONNECTOR_DEFAULTS;
  const cpu = readInteger(problems, `${PATH}.cpu`, rawCpu, d.cpu, 256, 16384);
  const memory = readInteger(problems, `${PATH}.memory`, rawMemory, d.memory, 512, 122880);
  if (!FARGATE_CPUS.includes(cpu)) {
    problems.add("FARGATE_SIZE", `${PATH}.cpu`, cpu, "not a Fargate CPU size", `use one of ${FARGATE_CPUS.join(", ")}`);
  } else if (!isFargateSize(cpu, memory)) {
    problems.add(
      "FARGATE_SIZE",
      `${PATH}.memory`,
      memory,
      `Fargate offers no task with cpu ${cpu} and this much memory`,
      `with cpu ${cpu} use memory ${describeMemoryChoices(cpu)}`,
    );
  }
  return { cpu, memory };
}

function readAlerts(problems: ProblemList, value: unknown): AlertSink[] {
  const path = `${PATH}.alerts`;
  const accepted = `use a list of ${ALERT_SINKS.join(", ")}`;
  if (value === undefined || value === null) {
    return [...CONNECTOR_DEFAULTS.alerts];
  }
  const names = readStringList(problems, path, value, accepted);
  const sinks: AlertSink[] = [];
  names.forEach((name, i) => {
    if ((ALERT_SINKS as readonly string[]).includes(name)) {
      sinks.push(name as AlertSink);
    } else {
      problems.add("INVALID_CHOICE", `${path}[${i}]`, name, "not an alert destination", `use one of ${ALERT_SINKS.join(", ")}`);
    }
  });
  checkUnique(problems, path, names, "destination");
  if (Array.isArray(value) && value.length === 0) {
    problems.add("INVALID_CHOICE", path, value, "no alert destination", `name at least one of ${ALERT_SINKS.join(", ")}`);
  }
  return [...new Set(sinks)];
}

function readSubnets(problems: ProblemList, value: unknown): string[] {
  const path = `${PATH}.subnetIds`;
  const accepted = "use [] for the default VPC, or a list of subnet IDs like subnet-0123456789abcdef0";
  const ids = readStringList(problems, path, value, accepted);
  ids.forEach((id, i) => {
    if (!SUBNET_ID.test(id)) {
      problems.add("INVALID_ID", `${path}[${i}]`, id, "not a subnet ID", accepted);
    }
  });
  checkUnique(problems, path, ids, "subnet");
  if (ids.length > MAX_SERVICE_SUBNETS) {
    problems.add("OUT_OF_RANGE", path, ids.length, "too many subnets for an ECS service", `list at most ${MAX_SERVICE_SUBNETS}`);
  }
  return ids.filter((id) => SUBNET_ID.test(id));
}

function readTopics(
  problems: ProblemList,
  raw: Record<string, unknown>,
  alerts: readonly AlertSink[],
): Pick<ConnectorSettings, "snsTopicArn" | "webhookUrl" | "alarmTopicArn"> {
  const topicAccepted = "an SNS topic ARN like arn:aws:sns:us-east-1:111122223333:alerts";
  const arn = (key: "snsTopicArn" | "alarmTopicArn"): string | undefined => {
    const value = readOptionalString(problems, `${PATH}.${key}`, raw[key], topicAccepted);
    if (value !== undefined && !SNS_TOPIC_ARN.test(value)) {
      problems.add("INVALID_ARN", `${PATH}.${key}`, value, "not an SNS topic ARN", topicAccepted);
      return undefined;
    }
    return value;
  };
  const snsTopicArn = arn("snsTopicArn");
  const alarmTopicArn = arn("alarmTopicArn");
  const urlAccepted = "an https:// URL";
  const webhookUrl = readSecret(problems, `${PATH}.webhookUrl`, raw.webhookUrl, {
    accepted: `${urlAccepted} (alerts must not travel in clear text)`,
    // fetch refuses user:password@, so such a URL never worked: refused here, before deploy.
    check: (url) => (!isHttpsUrl(url) ? "not an https URL" : hasUserInfo(url) ? "the URL holds a user name or password (user:password@), which fetch refuses; give it in connector.outputs as a webhook output whose urlSecret holds the URL (its user:password is then sent as HTTP Basic authentication)" : undefined),
  });
  if (alerts.includes("sns") && !isSet(raw.snsTopicArn)) {
    problems.add("MISSING_KEY", `${PATH}.snsTopicArn`, undefined, "required because connector.alerts includes sns", topicAccepted);
  }
  if (alerts.includes("webhook") && !isSet(raw.webhookUrl)) {
    problems.add("MISSING_KEY", `${PATH}.webhookUrl`, undefined, "required because connector.alerts includes webhook", urlAccepted);
  }
  return {
    ...(snsTopicArn !== undefined ? { snsTopicArn } : {}),
    ...(webhookUrl !== undefined ? { webhookUrl } : {}),
    ...(alarmTopicArn !== undefined ? { alarmTopicArn } : {}),
  };
}

/** Whether a key was given a value at all (an invalid one is reported on its own). */
function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}
