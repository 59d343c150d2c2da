import { types } from "../../policy/resources";
import { resource, runPolicy } from "./harness";
import { changed, compliantStack, taskPolicy } from "./stack";

const withTaskPolicy = (...statements: unknown[]) =>
  changed(compliantStack(), "task-role-policy", (p) => ({ ...p, policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }));

describe("iam-policies-grant-no-wildcards: the task role is least privilege", () => {
  const run = (stack = compliantStack(), config = {}) => runPolicy("iam-policies-grant-no-wildcards", stack, config);

  it("passes named actions on named resources, and * only for actions AWS authorizes no other way", async () => {
    expect(await run()).toEqual([]);
  });

  it("fails a wildcard action", async () => {
    expect(await run(withTaskPolicy({ Sid: "Queue", Effect: "Allow", Action: "sqs:*", Resource: "arn:aws:sqs:eu-west-1:111122223333:q" }))).toEqual([
      {
        policy: "iam-policies-grant-no-wildcards",
        urn: "urn:pulumi:test::s3guard::aws:iam/rolePolicy:RolePolicy::task-role-policy",
        message:
          'Policy "connector-task", statement "Queue", allows the wildcard action "sqs:*", which also grants every action AWS adds later. ' +
          "List the actions the role needs.",
      },
    ]);
  });

  it("fails a * resource for an action that can be scoped", async () => {
    expect((await run(withTaskPolicy({ Effect: "Allow", Action: ["s3:GetObject", "cloudwatch:PutMetricData"], Resource: "*" }))).map((r) => r.message)).toEqual([
      'Policy "connector-task", statement 1, allows "s3:GetObject" on "*". ' +
        "Name the ARNs the role needs (the queue, the log and rules buckets, the log group); " +
        'only cloudwatch:PutMetricData, ecr:GetAuthorizationToken, xray:PutTelemetryRecords, xray:PutTraceSegments may use "*", because AWS authorizes them no other way.',
    ]);
  });

  it("treats an ARN whose resource part is * as every resource of the service", async () => {
    const reported = await run(withTaskPolicy({ Effect: "Allow", Action: "s3:GetObject", Resource: ["arn:aws:s3:::*"] }));
    expect(reported.map((r) => r.message)).toEqual([expect.stringMatching(/^Policy "connector-task", statement 1, allows "s3:GetObject" on "arn:aws:s3:::\*"\./)]);
    expect(await run(withTaskPolicy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::rules/*" }))).toEqual([]);
  });

  it("fails NotAction and NotResource in an Allow, and ignores Deny statements", async () => {
    const reported = await run(
      withTaskPolicy(
        { Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::rules/*" },
        { Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::rules/secret" },
        { Effect: "Deny", Action: "*", Resource: "*" },
      ),
    );
    expect(reported.map((r) => r.message)).toEqual([
      'Policy "connector-task", statement 1, uses NotAction, which allows every action it does not list. List the actions the role needs in Action.',
      'Policy "connector-task", statement 2, uses NotResource, which allows every resource it does not list. List the resources in Resource.',
    ]);
  });

  it("checks a role's inline policies and standalone policies, given as objects or JSON", async () => {
    const open = { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    const stack = [
      resource(types.role, "task-role", { inlinePolicies: [{ name: "inline", policy: JSON.stringify(open) }] }),
      resource(types.policy, "managed", { name: "connector", policy: open }),
    ];
    expect((await run(stack)).map((r) => r.message)).toEqual([
      'Inline policy "inline", statement 1, allows the wildcard action "*", which also grants every action AWS adds later. List the actions the role needs.',
      expect.stringMatching(/^Inline policy "inline", statement 1, allows "\*" on "\*"\./),
      'Policy "connector", statement 1, allows the wildcard action "*", which also grants every action AWS adds later. List the actions the role needs.',
      expect.stringMatching(/^Policy "connector", statement 1, allows "\*" on "\*"\./),
    ]);
  });

  it("fails a policy that is not JSON", async () => {
    const stack = changed(compliantStack(), "task-role-policy", (p) => ({ ...p, policy: "{not json" }));
    expect((await run(stack)).map((r) => r.message)).toEqual([
      'Policy "connector-task" is not valid JSON, so its grants cannot be checked. Build it with JSON.stringify or aws.iam.getPolicyDocument.',
    ]);
  });

  it("takes the list of actions allowed on * from the policy config", async () => {
    const stack = withTaskPolicy({ Effect: "Allow", Action: "securityhub:BatchImportFindings", Resource: "*" });
    expect(await run(stack)).toHaveLength(1);
    expect(await run(stack, { actionsThatRequireAnyResource: ["securityhub:BatchImportFindings"] })).toEqual([]);
  });

  it("has a compliant fixture that really grants * for a metric action", () => {
    expect(taskPolicy.Statement.some((s) => s.Resource === "*")).toBe(true);
  });
});

describe("security-groups-allow-no-ingress: nothing can connect to the connector", () => {
  const run = (stack = compliantStack()) => runPolicy("security-groups-allow-no-ingress", stack);
  const sgUrn = "urn:pulumi:test::s3guard::aws:ec2/securityGroup:SecurityGroup::connector";

  it("passes an egress-only security group", async () => {
    expect(await run()).toEqual([]);
  });

  it("fails inline ingress rules, describing each", async () => {
    const stack = changed(compliantStack(), "connector", (g) => ({
      ...g,
      ingress: [
        { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
        { protocol: "-1", fromPort: 0, toPort: 0, securityGroups: ["sg-123"] },
      ],
    }));
    const why =
      "the connector only calls out (SQS, S3, CloudWatch Logs, Security Hub) and serves nothing, so inbound access only widens what can reach it.";
    expect(await run(stack)).toEqual([
      { policy: "security-groups-allow-no-ingress", urn: sgUrn, message: `The security group allows inbound tcp 443 from 0.0.0.0/0; ${why} Remove the ingress rule.` },
      { policy: "security-groups-allow-no-ingress", urn: sgUrn, message: `The security group allows inbound all traffic from sg-123; ${why} Remove the ingress rule.` },
    ]);
  });

  it("fails separate ingress rules of either resource type, and passes separate egress rules", async () => {
    const stack = [
      resource(types.securityGroupRule, "egress", { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" }),
      resource(types.securityGroupRule, "https", { type: "ingress", protocol: "tcp", fromPort: 8000, toPort: 8080, cidrBlocks: ["10.0.0.0/8"], securityGroupId: "sg-1" }),
      resource(types.securityGroupIngressRule, "ssh", { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "203.0.113.0/24", securityGroupId: "sg-1" }),
    ];
    expect((await run(stack)).map((r) => r.message)).toEqual([
      expect.stringMatching(/^This rule allows inbound tcp 8000-8080 from 10\.0\.0\.0\/8 to security group sg-1; the connector only calls out/),
      expect.stringMatching(/^This rule allows inbound tcp 22 from 203\.0\.113\.0\/24 to security group sg-1; .* Remove it\.$/),
    ]);
  });
});
