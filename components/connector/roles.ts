import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { executionRolePolicy, taskRolePolicy, TaskRolePolicyInput } from "../policies/connectorPolicies";
import { SecretGrants } from "./secrets";
import { assumeRolePolicy } from "../policies/document";

/** Plain-string inputs of the task role policy, as Outputs. */
export type TaskRolePolicyOutputs = { [K in keyof TaskRolePolicyInput]: pulumi.Input<TaskRolePolicyInput[K]> };

export interface ConnectorRoles {
  readonly taskRole: aws.iam.Role;
  readonly taskRolePolicy: aws.iam.RolePolicy;
  readonly executionRole: aws.iam.Role;
  readonly executionRolePolicy: aws.iam.RolePolicy;
}

/**
 * The two roles of the Fargate task, created here rather than by awsx (whose default task role has no
 * permissions and whose roles are invisible to tests and policy checks):
 * - the task role, assumed by the detector: least privilege, see `taskRolePolicy`;
 * - the execution role, assumed by ECS to pull the image, read the container's secrets and ship
 *   container logs.
 */
export function connectorRoles(
  name: string,
  args: {
    task: TaskRolePolicyOutputs;
    logGroupArn: pulumi.Input<string>;
    repositoryArn: pulumi.Input<string | undefined>;
    /** The container's secrets, which only the execution role reads (ECS injects them). */
    secrets: pulumi.Input<SecretGrants>;
    tags: pulumi.Input<Record<string, string>>;
  },
  parent: pulumi.Resource,
): ConnectorRoles {
  const { partition, region, accountId } = args.task;
  // Confused-deputy guard recommended by ECS: only tasks of this account and region may assume it.
  const taskTrust = pulumi.all([partition, region, accountId]).apply(([p, r, a]) =>
    JSON.stringify(
      assumeRolePolicy("ecs-tasks.amazonaws.com", {
        ArnLike: { "aws:SourceArn": `arn:${p}:ecs:${r}:${a}:*` },
        StringEquals: { "aws:SourceAccount": a },
      }),
    ),
  );
  const taskRole = new aws.iam.Role(
    `${name}-task`,
    { description: "Cloud Connector detector: read trail logs and rules, consume its queue, deliver alerts", assumeRolePolicy: taskTrust, tags: args.tags },
    { parent },
  );
  const taskPolicy = new aws.iam.RolePolicy(
    `${name}-task`,
    {
      role: taskRole.id,
      policy: pulumi.output(args.task).apply((input) => JSON.stringify(taskRolePolicy(input as TaskRolePolicyInput))),
    },
    { parent },
  );
  const executionRole = new aws.iam.Role(
    `${name}-execution`,
    {
      description: "ECS agent for the Cloud Connector: pull the image, write container logs",
      assumeRolePolicy: JSON.stringify(assumeRolePolicy("ecs-tasks.amazonaws.com")),
      tags: args.tags,
    },
    { parent },
  );
  const executionPolicy = new aws.iam.RolePolicy(
    `${name}-execution`,
    {
      role: executionRole.id,
      policy: pulumi
        .all([args.logGroupArn, args.repositoryArn, args.secrets])
        .apply(([logGroupArn, repositoryArn, secrets]) =>
          JSON.stringify(executionRolePolicy({ logGroupArn, secrets, ...(repositoryArn !== undefined ? { repositoryArn } : {}) })),
        ),
    },
    { parent },
  );
  return { taskRole, taskRolePolicy: taskPolicy, executionRole, executionRolePolicy: executionPolicy };
}
