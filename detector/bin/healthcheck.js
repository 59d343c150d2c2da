#!/usr/bin/env node
"use strict";
// The container's HEALTHCHECK: exit 0 when the connector's /healthz answers 200, 1 otherwise.
const port = process.env.S3GUARD_HEALTH_PORT || "8080";
fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) }).then(
  (res) => process.exit(res.status === 200 ? 0 : 1),
  () => process.exit(1),
);
