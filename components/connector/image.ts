import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ecrRepositoryArn } from "../policies/arns";
import { buildContextDigest } from "./buildContext";

/** A prebuilt image pinned by digest: `<repository>@sha256:<64 hex>`, no tag. */
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
export const IMAGE_BY_DIGEST = new RegExp(
  `^(?:[a-z0-9.-]+(?::\\d+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*@sha256:[0-9a-f]{64}$`,
);

/** The Dockerfile of the detector image, relative to the build context (the repository root). */
export const DETECTOR_DOCKERFILE = "detector/Dockerfile";

export interface ConnectorImage {
  readonly imageUri: pulumi.Output<string>;
  /** ECR repository the task pulls from; `undefined` for an image outside ECR. */
  readonly repositoryArn: pulumi.Output<string | undefined>;
  readonly repository?: aws.ecr.Repository;
  /** The tag of the image built here: a digest of the files the build reads. */
  readonly tag?: string;
}

/** The build context's digest, or an error saying how to point the component at the detector's sources. */
function contextDigest(dockerContext: string, parent: pulumi.Resource): string {
  if (!fs.existsSync(path.join(dockerContext, DETECTOR_DOCKERFILE))) {
    throw new pulumi.ResourceError(
      `connector image: no ${DETECTOR_DOCKERFILE} under ${dockerContext}; set dockerContext to the s3guard repository, or give image pinned by digest`,
      parent,
    );
  }
  try {
    return buildContextDigest(dockerContext, DETECTOR_DOCKERFILE);
  } catch (e) {
    throw new pulumi.ResourceError(`connector image: ${(e as Error).message}`, parent);
  }
}

/** `target` relative to the program's working directory, slash-separated: the same on every machine. */
function relativeToWorkingDirectory(target: string): string {
  const relative = path.relative(process.cwd(), target).split(path.sep).join("/");
  return relative === "" ? "." : relative;
}

/**
 * The detector image: the given image pinned by digest, or `detector/Dockerfile` built from the
 * repository root (the image bundles `rules/`) for linux/amd64, Fargate's default platform, and
 * pushed to a repository of this stack.
 *
 * A built image is tagged with a digest of the files the build reads, and its context and
 * Dockerfile are given relative to the working directory (Pulumi runs programs from the project's
 * folder): nothing in the inputs depends on where the checkout lies, so a preview on another machine
 * sees the same image, and only a changed file makes a new one.
 */
export function connectorImage(
  name: string,
  args: { image?: string; dockerContext: string; partition: pulumi.Output<string>; tags: pulumi.Input<Record<string, string>> },
  parent: pulumi.Resource,
): ConnectorImage {
  if (args.image !== undefined) {
    const image = args.image;
    if (!IMAGE_BY_DIGEST.test(image)) {
      throw new pulumi.ResourceError(`connector image ${image}: not pinned by digest; give <repository>@sha256:<64 hex digits>`, parent);
    }
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
  const tag = `src-${contextDigest(args.dockerContext, parent).slice(0, 40)}`;
  const context = relativeToWorkingDirectory(args.dockerContext);
  const image = new awsx.ecr.Image(
    name,
    {
      repositoryUrl: repository.repositoryUrl,
      context,
      dockerfile: context === "." ? DETECTOR_DOCKERFILE : `${context}/${DETECTOR_DOCKERFILE}`,
      imageTag: tag,
      platform: "linux/amd64",
    },
    { parent },
  );
  return { imageUri: image.imageUri, repositoryArn: repository.arn, repository, tag };
}
