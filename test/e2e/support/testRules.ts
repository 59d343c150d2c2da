/** Rules written for the end-to-end tests: small, and each firing on one kind of S3 call. */
export const DELETE_RULE = "S3 object deleted";
export const DENIED_RULE = "S3 access denied";
export const PUT_RULE = "S3 object written";

export const RULES_V1 = `
- rule: ${DELETE_RULE}
  desc: An object was deleted from a watched bucket.
  condition: ct.name="DeleteObject" and not ct.error exists
  output: Object deleted (bucket=%s3.bucket key=%s3.key user=%ct.user)
  priority: WARNING
  source: aws_cloudtrail
  tags: [aws, s3, T1485]

- rule: ${DENIED_RULE}
  desc: A call to S3 was denied.
  condition: ct.src="s3.amazonaws.com" and ct.error="AccessDenied"
  output: Access denied (operation=%ct.name bucket=%s3.bucket user=%ct.user)
  priority: NOTICE
  source: aws_cloudtrail
  tags: [aws, s3]
`;

/** V1 plus a rule on writes: uploading it must make PutObject records alert without a restart. */
export const RULES_V2 = `${RULES_V1}
- rule: ${PUT_RULE}
  desc: An object was written to a watched bucket.
  condition: ct.name="PutObject" and not ct.error exists
  output: Object written (bucket=%s3.bucket key=%s3.key user=%ct.user)
  priority: INFO
  source: aws_cloudtrail
  tags: [aws, s3]
`;

/** Does not load: the condition names a field that does not exist. */
export const BROKEN_RULES = `${RULES_V1}
- rule: Broken rule
  desc: Uses a field no plugin provides.
  condition: ct.name="PutObject" and ct.no_such_field="x"
  output: never (user=%ct.user)
  priority: ERROR
  source: aws_cloudtrail
`;
