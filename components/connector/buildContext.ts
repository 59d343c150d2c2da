/**
 * What a Docker build of the detector reads, and a digest of it. The image is tagged with this
 * digest, so the tag (and the task definition naming it) changes when, and only when, a file the
 * image is built from changes: not when the checkout moves, the machine differs or a doc is edited.
 * Pure apart from reading the files.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Joins continuation lines and drops comments and blank lines. */
function instructions(dockerfile: string): string[] {
  return dockerfile
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/**
 * The build-context paths the Dockerfile's COPY and ADD instructions read (those copying from
 * another stage read nothing from the context). Globs and URLs are refused: the digest would have
 * to guess what they match.
 */
export function dockerfileSources(dockerfile: string): string[] {
  const sources: string[] = [];
  for (const line of instructions(dockerfile)) {
    const match = /^(COPY|ADD)\s+(.*)$/i.exec(line);
    if (match === null) {
      continue;
    }
    const words = match[2].trim();
    const args = words.startsWith("[") ? (JSON.parse(words) as string[]) : words.split(/\s+/);
    const flags = args.filter((a) => a.startsWith("--"));
    if (flags.some((f) => f.startsWith("--from="))) {
      continue;
    }
    const paths = args.filter((a) => !a.startsWith("--")).slice(0, -1);
    for (const source of paths) {
      if (/[*?[]/.test(source) || /^[a-z]+:\/\//i.test(source)) {
        throw new Error(`Dockerfile: "${line}" reads ${source}; list plain paths so the image digest can follow them`);
      }
      sources.push(path.posix.normalize(source.replace(/^\.?\//, "")).replace(/\/$/, ""));
    }
  }
  return sources;
}

/** A .dockerignore pattern as a regular expression over a slash-separated relative path. */
function patternRegExp(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      // `**/` also matches no directory at all.
      const slash = pattern[i + 2] === "/";
      out += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") {
      out += "[^/]*";
    } else if (c === "?") {
      out += "[^/]";
    } else {
      out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${out}$`);
}

/**
 * Whether `file` is left out of the build context by `.dockerignore` rules: the last pattern that
 * matches the file or one of its folders decides, `!` patterns bring files back.
 */
export function isIgnored(file: string, dockerignore: string): boolean {
  const rules = dockerignore
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const negated = l.startsWith("!");
      const pattern = path.posix.normalize((negated ? l.slice(1) : l).trim().replace(/^\/+/, "")).replace(/\/$/, "");
      return { negated, regExp: patternRegExp(pattern) };
    });
  const parts = file.split("/");
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((c) => rule.regExp.test(c))) {
      ignored = !rule.negated;
    }
  }
  return ignored;
}

function filesUnder(root: string, relative: string): string[] {
  const absolute = path.join(root, relative);
  const stat = fs.lstatSync(absolute, { throwIfNoEntry: false });
  if (stat === undefined) {
    throw new Error(`Dockerfile copies ${relative}, which does not exist under ${root}`);
  }
  if (!stat.isDirectory()) {
    return [relative];
  }
  return fs
    .readdirSync(absolute)
    .flatMap((entry) => filesUnder(root, relative === "." ? entry : `${relative}/${entry}`));
}

/**
 * The files of `root` the build reads: the Dockerfile, `.dockerignore`, and what COPY/ADD take,
 * less what `.dockerignore` leaves out; relative, slash-separated, sorted.
 */
export function buildContextFiles(root: string, dockerfile: string): string[] {
  const ignorePath = path.join(root, ".dockerignore");
  const dockerignore = fs.existsSync(ignorePath) ? fs.readFileSync(ignorePath, "utf8") : "";
  const copied = dockerfileSources(fs.readFileSync(path.join(root, dockerfile), "utf8"))
    .flatMap((source) => filesUnder(root, source))
    .filter((file) => !isIgnored(file, dockerignore));
  const always = [dockerfile, ...(dockerignore !== "" ? [".dockerignore"] : [])];
  return [...new Set([...always, ...copied])].sort();
}

/** SHA-256 over each file's relative path and content: equal checkouts give equal digests. */
export function buildContextDigest(root: string, dockerfile: string): string {
  const hash = createHash("sha256");
  for (const file of buildContextFiles(root, dockerfile)) {
    const absolute = path.join(root, file);
    const stat = fs.lstatSync(absolute);
    const content = stat.isSymbolicLink() ? Buffer.from(fs.readlinkSync(absolute)) : fs.readFileSync(absolute);
    hash.update(`${file}\0${createHash("sha256").update(content).digest("hex")}\n`);
  }
  return hash.digest("hex");
}
