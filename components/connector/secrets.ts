import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SecretSetting } from "../configSecret";

/**
 * Secrets reach the connector the way ECS means them to: the container definition's `secrets` name
 * a Secrets Manager secret or an SSM SecureString (`valueFrom`), ECS reads it with the execution
 * role when the task starts, and the detector finds it in its environment. The task definition, the
 * state and every preview hold ARNs, never values.
 *
 * Use: read the setting with `readSecret` (configSecret.ts), then pass
 * `{ name: "<ENVIRONMENT_VARIABLE>", setting }` in the connector's `secrets`; the execution role
 * is granted exactly the secrets listed here.
 */
export interface ContainerSecret {
  /** The environment variable the detector reads, e.g. `S3GUARD_WEBHOOK_URL`. */
  readonly name: string;
  readonly setting: SecretSetting;
}

/** What the execution role may read so that ECS can inject the secrets. */
export interface SecretGrants {
  readonly secretArns: readonly string[];
  readonly parameterArns: readonly string[];
  /** Customer managed keys of referenced secrets (the AWS managed keys need no grant). */
  readonly kmsKeyArns: readonly string[];
}

export interface ContainerSecrets {
  /** The container definition's `secrets`, sorted by name. */
  readonly secrets: pulumi.Output<{ name: string; valueFrom: string }[]>;
  readonly grants: pulumi.Output<SecretGrants>;
  /** Secrets Manager secrets the kit keeps for values set with `pulumi config set --secret`. */
  readonly stored: readonly aws.secretsmanager.Secret[];
}

const ENVIRONMENT_NAME = /^[A-Z][A-Z0-9_]*$/;

/** Declares a stored secret for each config secret, and returns the container's `secrets` and the grants. */
export function containerSecrets(
  name: string,
  entries: readonly ContainerSecret[],
  tags: pulumi.Input<Record<string, string>>,
  parent: pulumi.Resource,
): ContainerSecrets {
  const seen = new Set<string>();
  for (const { name: variable } of entries) {
    if (!ENVIRONMENT_NAME.test(variable) || seen.has(variable)) {
      throw new pulumi.ResourceError(`container secret ${variable}: not a unique environment variable name`, parent);
    }
    seen.add(variable);
  }
  const stored: aws.secretsmanager.Secret[] = [];
  const resolved = [...entries]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(({ name: variable, setting }) => {
      if (setting.from !== "config") {
        return pulumi.output(reference(variable, setting));
      }
      const logicalName = `${name}-${variable.replace(/^S3GUARD_/, "").toLowerCase().replace(/_/g, "-")}`;
      const secret = new aws.secretsmanager.Secret(
        logicalName,
        {
          description: `${variable} of the Cloud Connector, from the stack configuration`,
          // The stack configuration is where the value lives; a deleted secret need not linger.
          recoveryWindowInDays: 0,
          tags,
        },
        { parent },
      );
      stored.push(secret);
      const version = new aws.secretsmanager.SecretVersion(logicalName, { secretId: secret.id, secretString: setting.text.output() }, { parent });
      // Naming the version makes a changed value a new task definition, so running tasks are
      // replaced and pick it up; naming only the secret would leave them on the old value.
      return pulumi.all([secret.arn, version.versionId]).apply(([arn, versionId]) => ({
        name: variable,
        valueFrom: `${arn}:::${versionId}`,
        grant: { secretArn: arn },
      }));
    });
  const all = pulumi.all(resolved);
  return {
    secrets: all.apply((list) => list.map(({ name: n, valueFrom }) => ({ name: n, valueFrom }))),
    grants: all.apply((list) => ({
      secretArns: unique(list.map((s) => s.grant.secretArn)),
      parameterArns: unique(list.map((s) => s.grant.parameterArn)),
      kmsKeyArns: unique(list.map((s) => s.grant.kmsKeyArn)),
    })),
    stored,
  };
}

interface Resolved {
  readonly name: string;
  readonly valueFrom: string;
  readonly grant: { readonly secretArn?: string; readonly parameterArn?: string; readonly kmsKeyArn?: string };
}

function reference(variable: string, setting: Exclude<SecretSetting, { from: "config" }>): Resolved {
  const key = setting.kmsKeyArn !== undefined ? { kmsKeyArn: setting.kmsKeyArn } : {};
  if (setting.from === "ssmParameter") {
    return { name: variable, valueFrom: setting.arn, grant: { parameterArn: setting.arn, ...key } };
  }
  // ECS selects one key of a JSON secret with `<arn>:<json-key>:<version-stage>:<version-id>`.
  const valueFrom = setting.jsonKey !== undefined ? `${setting.arn}:${setting.jsonKey}::` : setting.arn;
  return { name: variable, valueFrom, grant: { secretArn: setting.arn, ...key } };
}

function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))].sort();
}
