import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ConnectorNetwork {
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly subnetIds: pulumi.Output<string[]>;
}

const HTTPS = 443;

/**
 * Where the tasks run: the given subnets, or the default VPC's default subnets, behind a security
 * group of our own with no inbound rule at all (the connector only pulls from SQS and S3) and
 * outbound HTTPS only. awsx's own default group would open every port to the internet.
 */
export function connectorNetwork(
  name: string,
  args: { subnetIds: readonly string[]; webhookPort?: number; extraPorts?: readonly number[]; tags: pulumi.Input<Record<string, string>> },
  parent: pulumi.Resource,
): ConnectorNetwork {
  let vpcId: pulumi.Output<string>;
  let subnetIds: pulumi.Output<string[]>;
  if (args.subnetIds.length > 0) {
    vpcId = aws.ec2.getSubnetOutput({ id: args.subnetIds[0] }, { parent }).vpcId;
    subnetIds = pulumi.output([...args.subnetIds]);
  } else {
    vpcId = aws.ec2.getVpcOutput({ default: true }, { parent }).id;
    subnetIds = aws.ec2.getSubnetsOutput(
      {
        filters: [
          { name: "vpc-id", values: [vpcId] },
          { name: "default-for-az", values: ["true"] },
        ],
      },
      { parent },
    ).ids;
  }
  const ports = [...new Set([HTTPS, args.webhookPort, ...(args.extraPorts ?? [])])].filter((p): p is number => p !== undefined);
  const securityGroup = new aws.ec2.SecurityGroup(
    name,
    {
      description: "Cloud Connector tasks: no inbound traffic, outbound HTTPS only",
      vpcId,
      // Declared empty (not omitted) so that an inbound rule added by hand shows up as drift.
      ingress: [],
      egress: ports.map((port) => ({
        description: port === HTTPS ? "AWS APIs, ECR and alert destinations" : "Alert webhook",
        protocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrBlocks: ["0.0.0.0/0"],
      })),
      tags: args.tags,
    },
    { parent },
  );
  return { securityGroup, subnetIds };
}

