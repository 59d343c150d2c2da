import { WatchedBucket } from "../intent";
import { accountBlockIsOn, configuring, listOf, ofType, settingsOff, StackResource, types, Violation } from "../resources";

export interface WatchedBucketsBlockPublicAccessOptions {
  readonly watchedBuckets: readonly WatchedBucket[];
  /** Set when another stack or the organization owns the account-level block, so this stack cannot show it. */
  readonly accountBlockManagedElsewhere?: boolean;
}

const howToBlock =
  'Set s3guard:blockPublicAccess to "buckets" so s3guard declares a block for every watched bucket, or to "account" ' +
  "in the one stack that owns the account-level block; if another stack or your organization owns that block, " +
  "set accountBlockManagedElsewhere: true in this policy's config.";

/** Every watched bucket has a public access block with all four settings on, or the account-level block is on. */
export default function watchedBucketsBlockPublicAccess(
  stack: readonly StackResource[],
  options: WatchedBucketsBlockPublicAccessOptions,
): Violation[] {
  const violations: Violation[] = ofType(stack, types.accountPublicAccessBlock)
    .filter((block) => settingsOff(block.props).length > 0)
    .map((block) => ({
      urn: block.urn,
      message:
        `The account-level public access block leaves ${listOf(settingsOff(block.props))} off, so it does not protect ` +
        "the account's buckets. Set all four of blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.",
    }));
  if (options.accountBlockManagedElsewhere || accountBlockIsOn(stack)) {
    return violations;
  }
  for (const bucket of options.watchedBuckets) {
    const blocks = configuring(stack, bucket.name, types.publicAccessBlock);
    if (blocks.length === 0) {
      violations.push({
        message: `Watched bucket "${bucket.name}" has no public access block, and this stack does not turn on the account-level block. ${howToBlock}`,
      });
    } else if (!blocks.some((block) => settingsOff(block.props).length === 0)) {
      for (const block of blocks) {
        violations.push({
          urn: block.urn,
          message:
            `The public access block of watched bucket "${bucket.name}" leaves ${listOf(settingsOff(block.props))} off. ` +
            "Set all four of blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.",
        });
      }
    }
  }
  return violations;
}
