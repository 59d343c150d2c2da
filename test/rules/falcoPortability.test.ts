import { walk, type Expr, type FieldOperand } from "../../detector/src/engine/condition/ast";
import { loadStatefulRules } from "../../detector/src/stateful";
import { bundledRulesFiles } from "../support/bundledRules";

/**
 * The bundled rules stay loadable by Falco: a rule whose condition reads one of s3guard's own
 * fields (s3guard.*, directly or through a macro) carries `skip-if-unknown-filter: true`, so Falco
 * skips that rule instead of failing the whole file.
 */

function fieldsOf(expr: Expr): string[] {
  const names: string[] = [];
  const operand = (op: FieldOperand | { kind: string }) => {
    const o = op as FieldOperand & { operand?: FieldOperand; name?: string };
    if (o.kind === "field" && o.name) names.push(o.name);
    else if (o.operand) operand(o.operand);
  };
  walk(expr, (e) => {
    if (e.kind === "unary" || e.kind === "binary") operand(e.left);
    if (e.kind === "binary") operand(e.right as FieldOperand);
  });
  return names;
}

describe("the bundled rules and Falco", () => {
  it("mark every rule that reads an s3guard.* field to be skipped by Falco", async () => {
    const loaded = loadStatefulRules(await bundledRulesFiles(), { ruleMatching: "all" });
    const rules = loaded.ruleset!.rules;
    const readers = rules.filter((r) => fieldsOf(r.ast).some((f) => f.startsWith("s3guard.")));
    expect(readers.length).toBeGreaterThan(0);
    expect(readers.filter((r) => !r.info.skipIfUnknownFilter).map((r) => r.name)).toEqual([]);
  });
});
