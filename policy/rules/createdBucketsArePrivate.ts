import { accountBlockIsOn, bucketName, configuring, listOf, ofType, settingsOff, StackResource, types, Violation } from "../resources";

export interface CreatedBucketsArePrivateOptions {
  /** Set when another stack or the organization owns the account-level block, so this stack cannot show it. */
  readonly accountBlockManagedElsewhere?: boolean;
}

/** How a message names a bucket: the trail's log bucket is worth saying, since public logs expose every audited call. */
function describe(stack: readonly StackResource[], name: string): string {
  const isLogBucket = ofType(stack, types.trail).some((t) => t.props.s3BucketName === name);
  return isLogBucket ? `The trail's log bucket "${name}"` : `Bucket "${name}", which this stack creates,`;
}

/**
 * Every bucket the stack creates (the trail's log bucket, the rules bucket) has a public access block with all
 * four settings on, or the account-level block is on.
 */
export default function createdBucketsArePrivate(
  stack: readonly StackResource[],
  options: CreatedBucketsArePrivateOptions = {},
): Violation[] {
  if (options.accountBlockManagedElsewhere || accountBlockIsOn(stack)) {
    return [];
  }
  const violations: Violation[] = [];
  for (const bucket of ofType(stack, ...types.buckets)) {
    const name = bucketName(bucket);
    if (name === undefined) {
      continue; // An auto-named bucket has no name until it exists; the check runs again at `pulumi up`.
    }
    const blocks = configuring(stack, name, types.publicAccessBlock);
    if (blocks.length === 0) {
      violations.push({
        urn: bucket.urn,
        message:
          `${describe(stack, name)} has no public access block. Declare an aws.s3.BucketPublicAccessBlock for it with ` +
          "blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
      });
    } else if (!blocks.some((b) => settingsOff(b.props).length === 0)) {
      violations.push({
        urn: bucket.urn,
        message:
          `${describe(stack, name)} has a public access block that leaves ${listOf(settingsOff(blocks[0].props))} off. ` +
          "Set all four of blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.",
      });
    }
  }
  return violations;
}
