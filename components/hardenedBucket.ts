import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * A private bucket as s3guard wants every bucket it owns: ACLs disabled, public access blocked,
 * encrypted at rest, versioned, with a lifecycle and a bucket policy.
 */
export interface HardenedBucketArgs {
  readonly tags: pulumi.Input<Record<string, string>>;
  /** Days until current objects expire; absent keeps them until deleted. */
  readonly expirationDays?: number;
  /** Days a replaced or deleted object version is kept before S3 removes it. */
  readonly noncurrentVersionDays: number;
  /** Whether `pulumi destroy` may delete the bucket with its objects. */
  readonly forceDestroy: boolean;
  /** The bucket policy JSON, built from the bucket's (auto-generated) name. */
  readonly policy: (bucketName: pulumi.Output<string>) => pulumi.Input<string>;
  /** S3 Object Lock with this default retention for every new object version; absent: no lock. */
  readonly objectLock?: { readonly days: number; readonly mode: "COMPLIANCE" | "GOVERNANCE" };
}

export interface HardenedBucket {
  readonly bucket: aws.s3.Bucket;
  readonly ownershipControls: aws.s3.BucketOwnershipControls;
  readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
  readonly encryption: aws.s3.BucketServerSideEncryptionConfiguration;
  readonly versioning: aws.s3.BucketVersioning;
  readonly lifecycle: aws.s3.BucketLifecycleConfiguration;
  readonly policy: aws.s3.BucketPolicy;
  readonly objectLock?: aws.s3.BucketObjectLockConfiguration;
}

/** Declares a hardened bucket and its settings as children of `parent`. */
export function hardenedBucket(name: string, args: HardenedBucketArgs, parent: pulumi.Resource): HardenedBucket {
  const bucket = new aws.s3.Bucket(
    name,
    { forceDestroy: args.forceDestroy, ...(args.objectLock ? { objectLockEnabled: true } : {}), tags: args.tags },
    // objectLockEnabled only matters when the bucket is created: changed later, it would replace the
    // bucket (and its contents). Object Lock is switched on for an existing bucket by the lock
    // configuration below instead, and S3 never switches it off again.
    { parent, ignoreChanges: ["objectLockEnabled"] },
  );

  const ownershipControls = new aws.s3.BucketOwnershipControls(
    name,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    { parent },
  );
  // S3 rejects concurrent writes to one bucket's settings ("OperationAborted: A conflicting
  // conditional operation"), so ownership controls, public access block and policy go one by one.
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
    name,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    { parent, dependsOn: [ownershipControls] },
  );
  // After the public access block, so the policy is checked against a bucket that is already private.
  const policy = new aws.s3.BucketPolicy(
    name,
    { bucket: bucket.id, policy: args.policy(bucket.bucket) },
    { parent, dependsOn: [publicAccessBlock] },
  );

  // The remaining settings continue the same one-at-a-time chain.
  const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
    name,
    { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
    { parent, dependsOn: [policy] },
  );
  const versioning = new aws.s3.BucketVersioning(
    name,
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    { parent, dependsOn: [encryption] },
  );
  // Object Lock needs versioning; its default retention locks every version written from then on.
  const objectLock = args.objectLock
    ? new aws.s3.BucketObjectLockConfiguration(
        name,
        {
          bucket: bucket.id,
          objectLockEnabled: "Enabled",
          rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.days } },
        },
        // Removing the setting (or the stack) must not lower the protection of what is already there:
        // Pulumi lets go of the configuration and the bucket keeps its default retention.
        { parent, dependsOn: [versioning], retainOnDelete: true },
      )
    : undefined;
  // Noncurrent-version rules only apply once versioning is on; S3 applies lifecycle changes lazily,
  // so configuring it first can leave the rule ineffective for objects written in between.
  const lifecycle = new aws.s3.BucketLifecycleConfiguration(
    name,
    {
      bucket: bucket.id,
      rules: [
        {
          id: args.expirationDays !== undefined ? "expire-objects" : "expire-old-versions",
          status: "Enabled",
          filter: {},
          ...(args.expirationDays !== undefined ? { expiration: { days: args.expirationDays } } : {}),
          noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    },
    { parent, dependsOn: [objectLock ?? versioning] },
  );

  return { bucket, ownershipControls, publicAccessBlock, encryption, versioning, lifecycle, policy, ...(objectLock ? { objectLock } : {}) };
}
