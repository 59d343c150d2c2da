import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ecrRepositoryArn } from "../policies/arns";

export interface ConnectorImage {
  readonly imageUri: pulumi.Output<string>;
  /** ECR repository the task pulls from; `undefined` for an image outside ECR. */
  readonly repositoryArn: pulumi.Output<string | undefined>;
  readonly repository?: aws.ecr.Repository;
}

/**
 * The detector image: the given URI, or `detector/Dockerfile` built from the repository root (the
 * image bundles `rules/`) for linux/amd64, Fargate's default platform, and pushed to a repository of
 * this stack. awsx tags the image by content, so the task definition changes only when it does.
 */
export function connectorImage(
  name: string,
  args: { image?: string; dockerContext: string; partition: pulumi.Output<string>; tags: pulumi.Input<Record<string, string>> },
  parent: pulumi.Resource,
): ConnectorImage {
  if (args.image !== undefined) {
    const image = args.image;
    return { imageUri: pulumi.output(image), repositoryArn: args.partition.apply((p) => ecrRepositoryArn(p, image)) };
  }
  const repository = new aws.ecr.Repository(
    name,
    {
      // Images are rebuilt from the repository at will; do not let them block `pulumi destroy`.
      forceDelete: true,
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "AES256" }],
      tags: args.tags,
    },
    { parent },
  );
  new aws.ecr.LifecyclePolicy(
    name,
    {
      repository: repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: "Keep the 10 most recent images",
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 },
            action: { type: "expire" },
          },
        ],
      }),
    },
    { parent },
  );
  const image = new awsx.ecr.Image(
    name,
    {
      repositoryUrl: repository.repositoryUrl,
      context: args.dockerContext,
      dockerfile: path.join(args.dockerContext, "detector", "Dockerfile"),
      platform: "linux/amd64",
    },
    { parent },
  );
  return { imageUri: image.imageUri, repositoryArn: repository.arn, repository };
}
