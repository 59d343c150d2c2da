/**
 * The fake AWS account behind Pulumi's mocks: what the provider would return for each resource and
 * data source the program uses. Values are shaped like AWS's so that ARNs built from them are real.
 */

export const ACCOUNT_ID = "111122223333";
export const REGION = "us-east-1";
export const PARTITION = "aws";
export const ORGANIZATION_ID = "o-a1b2c3d4e5";
export const DEFAULT_VPC_ID = "vpc-0d3fa017";
export const DEFAULT_SUBNET_IDS = ["subnet-0aa11111", "subnet-0bb22222", "subnet-0cc33333"];
/** VPC of any subnet looked up by ID. */
export const CUSTOM_VPC_ID = "vpc-0c0ffee1";

/** Pulumi's auto-naming: the logical name plus a random suffix (fixed here). */
export function autoName(name: string): string {
  return `${name}-1a2b3c4`;
}

type State = Record<string, unknown>;

/**
 * The policy an existing topic read with `Topic.get` has: CloudTrail's permission to publish, as a
 * trail's delivery topic (often Control Tower's) carries it.
 */
export function existingTopicPolicy(topicArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Id: "org-trail-delivery-policy",
    Statement: [{ Sid: "AWSCloudTrailSNSPolicy", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "SNS:Publish", Resource: topicArn }],
  });
}

/** Physical id and output state of a resource, given what the program sent (and the id of one it reads). */
export function fakeResource(type: string, name: string, inputs: State, readId?: string): { id: string; state: State } {
  // A created resource comes with an empty id; one read with `.get` with the id asked for.
  if (readId && type === "aws:sns/topic:Topic") {
    return { id: readId, state: { arn: readId, name: readId.split(":").pop(), policy: existingTopicPolicy(readId) } };
  }
  const region = typeof inputs.region === "string" ? inputs.region : REGION;
  const arnIn = (service: string, resource: string) => `arn:${PARTITION}:${service}:${region}:${ACCOUNT_ID}:${resource}`;
  const physical = typeof inputs.name === "string" ? inputs.name : autoName(name);
  switch (type) {
    case "aws:s3/bucket:Bucket": {
      const bucket = typeof inputs.bucket === "string" ? inputs.bucket : autoName(name);
      return { id: bucket, state: { ...inputs, bucket, arn: `arn:${PARTITION}:s3:::${bucket}` } };
    }
    case "aws:sns/topic:Topic": {
      const arn = arnIn("sns", physical);
      return { id: arn, state: { ...inputs, name: physical, arn } };
    }
    case "aws:sqs/queue:Queue": {
      const url = `https://sqs.${region}.amazonaws.com/${ACCOUNT_ID}/${physical}`;
      return { id: url, state: { ...inputs, name: physical, url, arn: arnIn("sqs", physical) } };
    }
    case "aws:cloudtrail/trail:Trail":
      return { id: physical, state: { ...inputs, arn: arnIn("cloudtrail", `trail/${physical}`) } };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { id: physical, state: { ...inputs, name: physical, arn: arnIn("logs", `log-group:${physical}`) } };
    case "aws:iam/role:Role":
      return { id: physical, state: { ...inputs, name: physical, arn: `arn:${PARTITION}:iam::${ACCOUNT_ID}:role/${physical}` } };
    case "aws:ecs/cluster:Cluster":
      return { id: physical, state: { ...inputs, name: physical, arn: arnIn("ecs", `cluster/${physical}`) } };
    case "aws:dynamodb/table:Table":
      return { id: physical, state: { ...inputs, name: physical, arn: arnIn("dynamodb", `table/${physical}`) } };
    case "aws:ecr/repository:Repository":
      return {
        id: physical,
        state: {
          ...inputs,
          name: physical,
          arn: arnIn("ecr", `repository/${physical}`),
          repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${physical}`,
        },
      };
    case "awsx:ecr:Image":
      return { id: name, state: { imageUri: `${String(inputs.repositoryUrl)}@sha256:${"ab".repeat(32)}` } };
    case "aws:kms/key:Key": {
      const keyId = `0c0ffee0-${name.length.toString(16).padStart(4, "0")}-4000-8000-000000000001`;
      return { id: keyId, state: { ...inputs, keyId, arn: arnIn("kms", `key/${keyId}`) } };
    }
    case "aws:secretsmanager/secret:Secret": {
      const arn = arnIn("secretsmanager", `secret:${physical}-AbCdEf`);
      return { id: arn, state: { ...inputs, name: physical, arn } };
    }
    case "aws:secretsmanager/secretVersion:SecretVersion":
      return { id: `${name}|v1`, state: { ...inputs, versionId: "7e6c1f4b-0000-4000-8000-000000000001", arn: inputs.secretId } };
    case "aws:ec2/securityGroup:SecurityGroup":
      return { id: "sg-0123456789abcdef0", state: { ...inputs } };
    case "aws:appautoscaling/policy:Policy":
      return { id: name, state: { ...inputs, arn: `arn:${PARTITION}:autoscaling:${region}:${ACCOUNT_ID}:scalingPolicy:${name}` } };
    default:
      return { id: `${name}-id`, state: { ...inputs } };
  }
}

/** Results of the data sources (invokes) the program may call; any other invoke fails the test. */
export function fakeInvoke(token: string, inputs: State): State {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: ACCOUNT_ID, arn: `arn:${PARTITION}:iam::${ACCOUNT_ID}:user/deployer`, userId: "AIDEXAMPLE", id: ACCOUNT_ID };
    case "aws:index/getRegion:getRegion":
      return { region: REGION, name: REGION, id: REGION, endpoint: `ec2.${REGION}.amazonaws.com`, description: "US East (N. Virginia)" };
    case "aws:index/getPartition:getPartition":
      return { partition: PARTITION, id: PARTITION, dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    case "aws:organizations/getOrganization:getOrganization":
      return { id: ORGANIZATION_ID, masterAccountId: ACCOUNT_ID };
    case "aws:ec2/getVpc:getVpc":
      return { id: DEFAULT_VPC_ID, default: true };
    case "aws:ec2/getSubnets:getSubnets":
      return { id: REGION, ids: DEFAULT_SUBNET_IDS, filters: inputs.filters };
    case "aws:ec2/getSubnet:getSubnet":
      return { id: inputs.id, vpcId: CUSTOM_VPC_ID };
    default:
      throw new Error(`unexpected invoke ${token} ${JSON.stringify(inputs)}`);
  }
}
