import { asList, bucketName, configuring, ofType, StackResource, types, Violation } from "../resources";

const algorithms = ["AES256", "aws:kms", "aws:kms:dsse"];

/** Whether a default-encryption rule (of the separate resource or of a bucket's inline block) names an algorithm. */
function encrypts(rules: unknown): boolean {
  return asList(rules).some((rule) =>
    asList(rule?.applyServerSideEncryptionByDefault).some((d) => algorithms.includes(d?.sseAlgorithm)),
  );
}

/**
 * The trail logs to a bucket that this stack declares and encrypts by default, or the trail encrypts its log files
 * with a KMS key itself. A log bucket outside the stack cannot be checked, so it is a violation too.
 */
export default function trailLogBucketIsEncrypted(stack: readonly StackResource[]): Violation[] {
  const violations: Violation[] = [];
  for (const trail of ofType(stack, types.trail)) {
    if (trail.props.kmsKeyId) {
      continue;
    }
    const target = trail.props.s3BucketName;
    const bucket = ofType(stack, ...types.buckets).find((b) => bucketName(b) === target);
    if (bucket === undefined) {
      violations.push({
        urn: trail.urn,
        message:
          `The trail delivers to bucket "${target}", which this stack does not declare, so its encryption cannot be checked. ` +
          "Let s3guard create the log bucket, or set the trail's kmsKeyId so CloudTrail encrypts the log files itself.",
      });
      continue;
    }
    const separate = configuring(stack, target, ...types.encryption).some((c) => encrypts(c.props.rules));
    const inline = encrypts(bucket.props.serverSideEncryptionConfiguration?.rule);
    if (!separate && !inline) {
      violations.push({
        urn: bucket.urn,
        message:
          `The trail's log bucket "${target}" has no default encryption. Declare an aws.s3.BucketServerSideEncryptionConfiguration ` +
          'for it with applyServerSideEncryptionByDefault.sseAlgorithm "aws:kms" (or "AES256"), or set the trail\'s kmsKeyId.',
      });
    }
  }
  return violations;
}
