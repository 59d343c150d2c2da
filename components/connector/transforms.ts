import * as pulumi from "@pulumi/pulumi";

/**
 * Added to the awsx Fargate service so that the ECS service it creates inside itself ignores
 * `desiredCount`: Application Auto Scaling owns that number, and without this every preview would
 * show the scaled count as drift and every `pulumi up` would reset it. Options like `ignoreChanges`
 * do not reach the children of a remote component; a transform does.
 */
export const ignoreAutoscaledDesiredCount: pulumi.ResourceTransform = (args) => {
  if (args.type !== "aws:ecs/service:Service") {
    return undefined;
  }
  return {
    props: args.props,
    opts: pulumi.mergeOptions(args.opts, { ignoreChanges: ["desiredCount"] }),
  };
};
