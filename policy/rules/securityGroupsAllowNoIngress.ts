const why =
  "the connector only calls out (SQS, S3, CloudWatch Logs, Security Hub) and serves nothing, so inbound access only widens what can reach it.";

function describeRule(rule: Record<string, any>): string {
  const ports = rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`;
  const sources = [
    ...(rule.cidrBlocks ?? []),
    ...(rule.ipv6CidrBlocks ?? []),
    ...(rule.cidrIpv4 ? [rule.cidrIpv4] : []),
    ...(rule.cidrIpv6 ? [rule.cidrIpv6] : []),
    ...(rule.prefixListIds ?? []),
    ...(rule.prefixListId ? [rule.prefixListId] : []),
    ...(rule.securityGroups ?? []),
    ...(rule.sourceSecurityGroupId ? [rule.sourceSecurityGroupId] : []),
    ...(rule.referencedSecurityGroupId ? [rule.referencedSecurityGroupId] : []),
    ...(rule.self ? ["itself"] : []),
  ];
  const protocol = rule.protocol ?? rule.ipProtocol;
  return `${protocol === "-1" ? "all traffic" : `${protocol} ${ports}`} from ${sources.length ? sources.join(", ") : "anywhere it names"}`;
}

/** A security group declares no ingress rules inline. */
export function securityGroupHasNoIngress(group: { ingress?: readonly Record<string, any>[] }): string[] {
  return (group.ingress ?? []).map(
    (rule) => `The security group allows inbound ${describeRule(rule)}; ${why} Remove the ingress rule.`,
  );
}

/** A separate security group rule is not an ingress rule. */
export function securityGroupRuleIsNotIngress(rule: Record<string, any>): string[] {
  return rule.type === "ingress"
    ? [`This rule allows inbound ${describeRule(rule)} to security group ${rule.securityGroupId}; ${why} Remove it.`]
    : [];
}

/** An `aws.vpc.SecurityGroupIngressRule` exists only to allow ingress, so declaring one is the violation. */
export function noIngressRuleResource(rule: Record<string, any>): string[] {
  return [`This rule allows inbound ${describeRule(rule)} to security group ${rule.securityGroupId}; ${why} Remove it.`];
}
