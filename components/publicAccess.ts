import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A bucket the guard protects; it must already exist. */
export interface GuardedBucket {
  readonly name: string;
  /** The bucket's region when it is not the provider's. @default the provider's region */
  readonly region?: string;
}

export interface PublicAccessGuardArgs {
  /**
   * - `buckets`: a public access block on each guarded bucket.
   * - `account`: one account-wide public access block, which covers every bucket in the account,
   *   including ones created later. AWS keeps a single such setting per account, so exactly one stack
   *   per account may use this mode; two stacks would overwrite each other on every `pulumi up`.
   */
  readonly mode: "buckets" | "account";
  /**
   * Existing buckets to protect. Each also gets `BucketOwnerEnforced` ownership controls, which
   * disable ACLs so that no ACL, old or new, grants access. That fails for a bucket whose current
   * ACL grants access to others (InvalidBucketAclWithObjectOwnership): remove such grants first.
   */
  readonly buckets: readonly GuardedBucket[];
  /**
   * Leave the protections in place when a bucket leaves the list or the stack is destroyed. Deleting
   * a public access block re-opens whatever a bucket policy or ACL grants, so removal is left to a
   * deliberate manual step.
   * @default true
   */
  readonly retainOnDelete?: boolean;
}

/**
 * Blocks public access to S3: account-wide or per watched bucket, and disables ACLs on the watched
 * buckets. All four block flags are set: new public ACLs and policies are rejected, and existing
 * ones are ignored.
 */
export class PublicAccessGuard extends pulumi.ComponentResource {
  readonly accountBlock?: aws.s3.AccountPublicAccessBlock;
  readonly bucketBlocks: readonly aws.s3.BucketPublicAccessBlock[];
  readonly ownershipControls: readonly aws.s3.BucketOwnershipControls[];

  constructor(name: string, args: PublicAccessGuardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("s3guard:index:PublicAccessGuard", name, {}, opts);
    const childOpts = { parent: this, retainOnDelete: args.retainOnDelete ?? true };
    const allFlags = {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    };

    if (args.mode === "account") {
      this.accountBlock = new aws.s3.AccountPublicAccessBlock(name, allFlags, childOpts);
    }
    const ownership: aws.s3.BucketOwnershipControls[] = [];
    const blocks: aws.s3.BucketPublicAccessBlock[] = [];
    for (const bucket of args.buckets) {
      const region = bucket.region !== undefined ? { region: bucket.region } : {};
      const controls = new aws.s3.BucketOwnershipControls(
        `${name}-${bucket.name}`,
        { bucket: bucket.name, rule: { objectOwnership: "BucketOwnerEnforced" }, ...region },
        childOpts,
      );
      ownership.push(controls);
      if (args.mode === "buckets") {
        // S3 aborts concurrent changes to one bucket's settings (OperationAborted), so the block
        // waits for the ownership controls.
        blocks.push(
          new aws.s3.BucketPublicAccessBlock(
            `${name}-${bucket.name}`,
            { bucket: bucket.name, ...allFlags, ...region },
            { ...childOpts, dependsOn: [controls] },
          ),
        );
      }
    }
    this.ownershipControls = ownership;
    this.bucketBlocks = blocks;

    this.registerOutputs({
      mode: args.mode,
      buckets: args.buckets.map((b) => b.name),
    });
  }
}
