import { asList } from "../resources";

/**
 * Actions that AWS authorizes only against `"Resource": "*"` (they have no resource type in the Service
 * Authorization Reference), so a least-privilege policy must name them with `*`. Policy config can replace the list.
 */
export const actionsThatRequireAnyResource: readonly string[] = [
  "cloudwatch:PutMetricData",
  "ecr:GetAuthorizationToken",
  "xray:PutTelemetryRecords",
  "xray:PutTraceSegments",
];

/** `*` itself, or an ARN whose resource part is `*` (`arn:aws:s3:::*`, `arn:aws:sqs:*:*:*`): all resources of a service. */
function isAnyResource(resource: unknown): boolean {
  return resource === "*" || (typeof resource === "string" && /^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(resource));
}

/**
 * An IAM policy document grants no wildcard: no action with `*`, no `NotAction`/`NotResource` in an Allow, and no
 * `*` resource except for the actions AWS authorizes only that way. Returns one message per problem.
 * `where` names the policy in messages, e.g. `Inline policy "connector-task"`.
 */
export function documentGrantsNoWildcards(
  document: unknown,
  where: string,
  allowedOnAnyResource: readonly string[] = actionsThatRequireAnyResource,
): string[] {
  let parsed: any = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    } catch {
      return [`${where} is not valid JSON, so its grants cannot be checked. Build it with JSON.stringify or aws.iam.getPolicyDocument.`];
    }
  }
  const problems: string[] = [];
  asList(parsed?.Statement).forEach((statement: any, i: number) => {
    if (statement?.Effect !== "Allow") {
      return;
    }
    const label = `${where}, statement ${statement.Sid ? `"${statement.Sid}"` : i + 1},`;
    if (statement.NotAction !== undefined) {
      problems.push(`${label} uses NotAction, which allows every action it does not list. List the actions the role needs in Action.`);
    }
    if (statement.NotResource !== undefined) {
      problems.push(`${label} uses NotResource, which allows every resource it does not list. List the resources in Resource.`);
    }
    const actions = asList(statement.Action).map(String);
    for (const action of actions.filter((a) => a.includes("*"))) {
      problems.push(
        `${label} allows the wildcard action "${action}", which also grants every action AWS adds later. List the actions the role needs.`,
      );
    }
    const broad = asList(statement.Resource).filter(isAnyResource);
    const needNoAny = actions.filter((a) => !allowedOnAnyResource.includes(a));
    if (broad.length > 0 && needNoAny.length > 0) {
      problems.push(
        `${label} allows ${needNoAny.map((a) => `"${a}"`).join(", ")} on "${broad[0]}". ` +
          "Name the ARNs the role needs (the queue, the log and rules buckets, the log group); " +
          `only ${allowedOnAnyResource.join(", ")} may use "*", because AWS authorizes them no other way.`,
      );
    }
  });
  return problems;
}

/** The inline policies of an `aws.iam.Role`. */
export function roleGrantsNoWildcards(role: { inlinePolicies?: readonly { name?: string; policy?: unknown }[] }, allowed?: readonly string[]): string[] {
  return (role.inlinePolicies ?? []).flatMap((p) => documentGrantsNoWildcards(p.policy, `Inline policy "${p.name ?? ""}"`, allowed));
}

/** An `aws.iam.RolePolicy` or `aws.iam.Policy`. */
export function policyGrantsNoWildcards(policy: { name?: string; policy?: unknown }, allowed?: readonly string[]): string[] {
  return documentGrantsNoWildcards(policy.policy, `Policy "${policy.name ?? ""}"`, allowed);
}
