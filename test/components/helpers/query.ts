/** Finding things in a recorded program run, failing loudly when they are not there exactly once. */
import { ProgramRun, RecordedResource } from "./runProgram";

export function ofType(run: ProgramRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The one resource of `type` (and `name`, when given). */
export function one(run: ProgramRun, type: string, name?: string): RecordedResource {
  const found = ofType(run, type).filter((r) => name === undefined || r.name === name);
  if (found.length !== 1) {
    const names = ofType(run, type).map((r) => r.name);
    throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length} among [${names.join(", ")}]`);
  }
  return found[0];
}

export interface Statement {
  Sid: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** The parsed JSON policy of a resource (`policy` or another input holding a JSON document). */
export function policyOf(resource: RecordedResource, input = "policy"): { Version: string; Statement: Statement[] } {
  return JSON.parse(resource.inputs[input]);
}

export function statement(doc: { Statement: Statement[] }, sid: string): Statement {
  const found = doc.Statement.find((s) => s.Sid === sid);
  if (found === undefined) {
    throw new Error(`no statement ${sid} among [${doc.Statement.map((s) => s.Sid).join(", ")}]`);
  }
  return found;
}

/** Whether `resource` waits for `other` through an explicit `dependsOn`. */
export function dependsOn(resource: RecordedResource, other: RecordedResource): boolean {
  return resource.explicitDependencies.includes(other.urn);
}

/** Whether `child` was declared with `parent` as its parent. */
export function isChildOf(child: RecordedResource, parent: RecordedResource): boolean {
  return child.parentUrn === parent.urn;
}
