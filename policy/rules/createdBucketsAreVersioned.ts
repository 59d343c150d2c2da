import { bucketName, configuring, ofType, StackResource, types, Violation } from "../resources";

function status(versioning: StackResource): unknown {
  const configuration = versioning.props.versioningConfiguration;
  return (Array.isArray(configuration) ? configuration[0] : configuration)?.status;
}

/**
 * Every bucket the stack creates (the rules bucket, the trail's log bucket) is versioned, so an overwritten rules
 * file or a deleted log file can be recovered.
 */
export default function createdBucketsAreVersioned(stack: readonly StackResource[]): Violation[] {
  const violations: Violation[] = [];
  for (const bucket of ofType(stack, ...types.buckets)) {
    const name = bucketName(bucket);
    if (name === undefined || bucket.props.versioning?.enabled === true) {
      continue; // Unnamed until it exists (checked again at `pulumi up`), or versioned by the bucket's inline block.
    }
    const states = configuring(stack, name, ...types.versioning).map(status);
    if (states.includes("Enabled")) {
      continue;
    }
    const now = states.length === 0 ? "is not versioned" : `has versioning ${JSON.stringify(states[0])}`;
    violations.push({
      urn: bucket.urn,
      message:
        `Bucket "${name}", which this stack creates, ${now}, so an overwritten or deleted object cannot be recovered. ` +
        'Declare an aws.s3.BucketVersioning for it with versioningConfiguration.status "Enabled".',
    });
  }
  return violations;
}
