/**
 * The view of a stack that the rules read: a list of resources with their type token and properties.
 * `@pulumi/policy`'s `PolicyResource` fits it as it is, and so does a resource captured under Pulumi's mocks,
 * which keeps every rule a pure function that a test can call with plain objects.
 */
export interface StackResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Record<string, any>;
}

/** One problem a rule found: what is wrong and how to fix it, and the resource it belongs to when there is one. */
export interface Violation {
  readonly message: string;
  readonly urn?: string;
}

/** The type tokens the rules look for. Both generations of the S3 bucket resources count, since programs use either. */
export const types = {
  trail: "aws:cloudtrail/trail:Trail",
  buckets: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  accountPublicAccessBlock: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
  ownershipControls: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  encryption: [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  ],
  versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  policy: "aws:iam/policy:Policy",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
} as const;

export function ofType(stack: readonly StackResource[], ...tokens: readonly string[]): StackResource[] {
  return stack.filter((r) => tokens.includes(r.type));
}

/** The four settings of a public access block, named as AWS names them. */
export const publicAccessSettings = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
] as const;

/** The settings of a (bucket or account) public access block that are not on. */
export function settingsOff(block: Record<string, any>): string[] {
  return publicAccessSettings.filter((s) => block[s] !== true);
}

/**
 * Whether this stack turns on the account-level public access block with all four settings.
 * The account block overrides every bucket's, so it protects buckets that have no block of their own.
 */
export function accountBlockIsOn(stack: readonly StackResource[]): boolean {
  return ofType(stack, types.accountPublicAccessBlock).some((b) => settingsOff(b.props).length === 0);
}

/** The sub-resources (public access block, encryption, versioning, ...) that configure the bucket with this name. */
export function configuring(stack: readonly StackResource[], bucket: string, ...tokens: readonly string[]): StackResource[] {
  return ofType(stack, ...tokens).filter((r) => r.props.bucket === bucket);
}

/** The name of a bucket the stack creates, or undefined while it is not known (an auto-named bucket before `up`). */
export function bucketName(bucket: StackResource): string | undefined {
  const name = bucket.props.bucket;
  return typeof name === "string" && name !== "" ? name : undefined;
}

/** A property that may hold one value or a list (IAM's Action, a legacy one-element block) as a list; absent is empty. */
export function asList(value: unknown): any[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/** Renders a list of names for a message: `a`, `a and b`, `a, b and c`. */
export function listOf(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
