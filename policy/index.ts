import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

// The entry point Pulumi runs for `--policy-pack policy`. Constructing the pack starts its gRPC server, so nothing
// else imports this file: tests import ./policies. Every policy is mandatory unless a stack's policy config says otherwise.
new PolicyPack("s3guard", {
  description: "Fails a preview or update of an s3guard stack that would weaken its protection.",
  enforcementLevel: "mandatory",
  policies,
});
