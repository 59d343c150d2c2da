import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HardenedBucket, hardenedBucket } from "../hardenedBucket";
import { tlsOnlyBucketPolicy } from "../policies/trailPolicies";
import { listRuleFiles } from "./ruleFiles";

export interface RulesBucket extends HardenedBucket {
  /** One object per rules file, keyed `<prefix><file name>`. */
  readonly objects: readonly aws.s3.BucketObjectv2[];
  /** The deployment context file, beside the rules (`context.key`). */
  readonly contextObject?: aws.s3.BucketObjectv2;
}

/**
 * The private, versioned, encrypted bucket the connector polls for rules, with every rules file of
 * `rulesDir` uploaded. Each object carries the file's content, so editing a rule changes an input and
 * `pulumi preview` shows it; a deleted file deletes its object.
 */
export function rulesBucket(
  name: string,
  args: {
    rulesDir: string;
    prefix: string;
    partition: pulumi.Output<string>;
    tags: pulumi.Input<Record<string, string>>;
    /** The deployment context file's key and text, uploaded beside the rules. */
    context?: { key: string; content: pulumi.Input<string> };
  },
  parent: pulumi.Resource,
): RulesBucket {
  const bucket = hardenedBucket(
    name,
    {
      tags: args.tags,
      noncurrentVersionDays: 90,
      // Everything in it is reproducible from the repository.
      forceDestroy: true,
      policy: (bucketName) =>
        pulumi.all([args.partition, bucketName]).apply(([p, b]) => JSON.stringify(tlsOnlyBucketPolicy(p, b))),
    },
    parent,
  );
  const objects = listRuleFiles(args.rulesDir, args.prefix).map(
    (file) =>
      new aws.s3.BucketObjectv2(
        `${name}-${file.name}`,
        { bucket: bucket.bucket.id, key: file.key, content: file.content, contentType: "application/yaml" },
        // Uploads are writes to the same bucket; the policy (last of its chained settings) goes first.
        { parent, dependsOn: [bucket.policy] },
      ),
  );
  const contextObject = args.context
    ? new aws.s3.BucketObjectv2(
        `${name}-context`,
        { bucket: bucket.bucket.id, key: args.context.key, content: args.context.content, contentType: "application/yaml" },
        { parent, dependsOn: [bucket.policy] },
      )
    : undefined;
  return { ...bucket, objects, ...(contextObject ? { contextObject } : {}) };
}
