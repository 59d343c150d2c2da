import { promises as fs } from "node:fs";
import * as path from "node:path";
import { EVENT_ID, load, parseEvents } from "js-yaml";
import { FixtureCase, FixtureProblem, isProblem, readCase } from "./fixture";

/** The cases of a fixtures folder, and what could not be read. */
export interface FixtureSet {
  files: string[];
  cases: FixtureCase[];
  problems: FixtureProblem[];
}

function isYamlFile(name: string): boolean {
  return /\.ya?ml$/i.test(name) && !name.startsWith(".");
}

/** Every `*.yaml`/`*.yml` file under `dir`, at any depth, in a stable (sorted path) order. */
export async function findFixtureFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(d: string): Promise<void> {
    const entries = await fs.readdir(d, { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if ((e.isFile() || e.isSymbolicLink()) && isYamlFile(e.name)) found.push(p);
    }
  }
  await walk(dir);
  return found;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** 1-based lines where the items of the document's top-level list start. */
function topLevelItemLines(text: string): number[] {
  const lines: number[] = [];
  let depth = 0;
  for (const e of parseEvents(text, {})) {
    if (e.type === EVENT_ID.DOCUMENT) continue;
    if (e.type === EVENT_ID.POP) {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (depth === 1) {
      const start = (e as { start?: number }).start ?? (e as { valueStart?: number }).valueStart ?? -1;
      lines.push(start >= 0 ? lineAt(text, start) : 0);
    }
    if (e.type === EVENT_ID.SEQUENCE || e.type === EVENT_ID.MAPPING) depth++;
  }
  return lines;
}

/**
 * Reads one fixture file's text: a YAML list of cases. YAML's core schema keeps timestamps as
 * text, as CloudTrail writes them; quote account ids so they stay strings.
 */
export function readFixtureText(file: string, text: string): { cases: FixtureCase[]; problems: FixtureProblem[] } {
  if (text.split("\n").every((l) => /^\s*(#.*)?$/.test(l))) return { cases: [], problems: [] };
  let doc: unknown;
  let lines: number[] = [];
  try {
    doc = load(text);
    lines = topLevelItemLines(text);
  } catch (e) {
    return { cases: [], problems: [{ file, message: `not valid YAML: ${(e as Error).message.split("\n")[0]}` }] };
  }
  if (doc === null || doc === undefined) return { cases: [], problems: [] };
  if (!Array.isArray(doc)) return { cases: [], problems: [{ file, message: "a fixture file must be a YAML list of cases" }] };
  const cases: FixtureCase[] = [];
  const problems: FixtureProblem[] = [];
  doc.forEach((item, i) => {
    const read = readCase(item, file, i + 1, lines[i] || undefined);
    if (isProblem(read)) problems.push(read);
    else cases.push(read);
  });
  return { cases, problems };
}

/** Reads every fixture file under `dir`. A missing folder is reported as a problem, not thrown. */
export async function readFixtures(dir: string): Promise<FixtureSet> {
  let files: string[];
  try {
    files = await findFixtureFiles(dir);
  } catch {
    return { files: [], cases: [], problems: [{ file: dir, message: "no such fixtures folder" }] };
  }
  const set: FixtureSet = { files, cases: [], problems: [] };
  for (const f of files) {
    const { cases, problems } = readFixtureText(f, await fs.readFile(f, "utf8"));
    set.cases.push(...cases);
    set.problems.push(...problems);
  }
  if (files.length === 0) set.problems.push({ file: dir, message: "the folder holds no .yaml or .yml fixture file" });
  return set;
}
