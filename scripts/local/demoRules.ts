/**
 * Rules used by the local pipeline and the benchmark only when the repository's rules/ folder is
 * absent (a partial checkout): they fire on deletions and denied calls in S3 data events.
 */
export const DEMO_RULES = `
- rule: S3 object deleted
  desc: An object was deleted from a watched bucket.
  condition: ct.name="DeleteObject" and not ct.error exists
  output: Object deleted (bucket=%s3.bucket key=%s3.key user=%ct.user ip=%ct.srcip)
  priority: WARNING
  source: aws_cloudtrail
  tags: [aws, s3, T1485]

- rule: S3 access denied
  desc: A call to S3 was denied.
  condition: ct.src="s3.amazonaws.com" and ct.error="AccessDenied"
  output: Access denied (operation=%ct.name bucket=%s3.bucket user=%ct.user)
  priority: NOTICE
  source: aws_cloudtrail
  tags: [aws, s3]
`;
