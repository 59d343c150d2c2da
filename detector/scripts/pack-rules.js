#!/usr/bin/env node
"use strict";
// `npm pack` / `npm publish` of this package: the repository's rules/*.yaml travel inside it as its
// bundled rules (copy before packing, clean after, so the repository keeps one copy of them).
const fs = require("node:fs");
const path = require("node:path");

const source = path.resolve(__dirname, "..", "..", "rules");
const target = path.resolve(__dirname, "..", "rules");

if (process.argv[2] === "copy") {
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target);
  for (const name of fs.readdirSync(source).filter((n) => /\.ya?ml$/.test(n))) {
    fs.copyFileSync(path.join(source, name), path.join(target, name));
  }
} else if (process.argv[2] === "clean") {
  fs.rmSync(target, { recursive: true, force: true });
} else {
  console.error("usage: pack-rules.js copy|clean");
  process.exitCode = 2;
}
