import { WatchedBucket } from "../intent";
import { configuring, ofType, StackResource, types, Violation } from "../resources";

export interface WatchedBucketsEnforceBucketOwnerOptions {
  readonly watchedBuckets: readonly WatchedBucket[];
}

function objectOwnership(controls: StackResource): unknown {
  // `rule` is one object in @pulumi/aws 7; older state may hold it as a one-element list.
  const rule = Array.isArray(controls.props.rule) ? controls.props.rule[0] : controls.props.rule;
  return rule?.objectOwnership;
}

/**
 * Every watched bucket has ownership controls set to `BucketOwnerEnforced`, and no ownership controls in the stack
 * are weaker: with any other setting ACLs stay in force, and an object ACL can grant public or cross-account access
 * that no bucket policy shows.
 */
export default function watchedBucketsEnforceBucketOwner(
  stack: readonly StackResource[],
  options: WatchedBucketsEnforceBucketOwnerOptions,
): Violation[] {
  const violations: Violation[] = ofType(stack, types.ownershipControls)
    .filter((controls) => objectOwnership(controls) !== "BucketOwnerEnforced")
    .map((controls) => ({
      urn: controls.urn,
      message:
        `The ownership controls of bucket "${controls.props.bucket}" are ${JSON.stringify(objectOwnership(controls) ?? null)}, ` +
        'so ACLs still grant access. Set rule.objectOwnership to "BucketOwnerEnforced" to disable ACLs.',
    }));
  for (const bucket of options.watchedBuckets) {
    if (configuring(stack, bucket.name, types.ownershipControls).length === 0) {
      violations.push({
        message:
          `Watched bucket "${bucket.name}" has no ownership controls, so its ACLs stay in force. ` +
          'Declare an aws.s3.BucketOwnershipControls for it with rule.objectOwnership "BucketOwnerEnforced" ' +
          "(s3guard declares one for every bucket in s3guard:watchedBuckets).",
      });
    }
  }
  return violations;
}
