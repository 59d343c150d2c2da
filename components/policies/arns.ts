/** ARNs s3guard must know before the resources exist (for policies that AWS checks at creation). */

export function bucketArn(partition: string, bucket: string): string {
  return `arn:${partition}:s3:::${bucket}`;
}

/** A trail's ARN from its explicit name; the bucket and topic policies need it before the trail exists. */
export function trailArn(partition: string, region: string, accountId: string, trailName: string): string {
  return `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${trailName}`;
}

/** The product ARN Security Hub uses for findings an account imports about itself. */
export function securityHubProductArn(partition: string, region: string, accountId: string): string {
  return `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@\s]+)/;

/**
 * The ECR repository ARN of an image URI such as `111122223333.dkr.ecr.us-east-1.amazonaws.com/repo:tag`,
 * or `undefined` for images outside ECR (which need no ECR permissions to pull).
 */
export function ecrRepositoryArn(partition: string, imageUri: string): string | undefined {
  const match = ECR_IMAGE.exec(imageUri);
  if (match === null) {
    return undefined;
  }
  const [, account, region, repository] = match;
  return `arn:${partition}:ecr:${region}:${account}:repository/${repository}`;
}
