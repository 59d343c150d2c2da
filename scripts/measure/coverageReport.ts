import { ACTIONS } from "./actions";
import { isVariant } from "./catalog";
import { noiseRate, type DatasetOutcome } from "./coverage";
import type { Table } from "./tables";

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(0)}%` : "-");

/** The per-data-set table: attacker actions detected (Notice+) and Warning+ alerts on benign records. */
export function coverageTable(outcomes: readonly DatasetOutcome[]): Table {
  return {
    header: ["data set", "split", "records (attacker / other)", "attacker actions detected (Notice+)", "missed", "Warning+ alerts on other records", "per 1,000"],
    rows: outcomes.map((o) => {
      const name = o.dataset.title;
      const split = o.dataset.split === "dev" ? "development" : "held out";
      if (o.status === "absent") return [name, split, `absent: ${o.absentReason ?? ""}`, "-", "-", "-", "-"];
      const actions = o.actions ?? [];
      const detected = actions.filter((a) => a.detected).length;
      const missed = actions.filter((a) => !a.detected).map((a) => a.action);
      const rate = noiseRate(o);
      return [
        name,
        split,
        `${o.records} (${o.attackerRecords} / ${o.benignRecords})`,
        actions.length ? `${detected} of ${actions.length} (${pct(detected, actions.length)})` : "-",
        missed.length ? [...new Set(missed)].map((m) => `${m} ×${missed.filter((x) => x === m).length}`).join(", ") : "-",
        o.benignRecords ? String(o.noise?.length ?? 0) : "-",
        rate === undefined ? "-" : rate.toFixed(2),
      ];
    }),
  };
}

/**
 * One line per split: actions detected and Warning+ alerts on other records, over the measured data
 * sets. A variant (delivered twice, in file order) feeds its original's records differently: its
 * records and actions are counted once, with the original, and the line says when a variant misses
 * an action or raises more alerts than its original. The worst data set is taken over all of them.
 */
export function splitSummary(outcomes: readonly DatasetOutcome[], split: "dev" | "heldout"): string {
  const measured = outcomes.filter((o) => o.dataset.split === split && o.status === "measured");
  const absent = outcomes.filter((o) => o.dataset.split === split && o.status === "absent").map((o) => o.dataset.id);
  const originals = measured.filter((o) => !isVariant(o.dataset));
  const variants = measured.filter((o) => isVariant(o.dataset));
  const actions = originals.flatMap((o) => o.actions ?? []);
  const detected = actions.filter((a) => a.detected).length;
  const originalOf = (v: DatasetOutcome) => originals.find((o) => o.dataset.read === v.dataset.read && o.dataset.labels === v.dataset.labels);
  // Same label file, same actions in the same order: a miss counts where the original detected.
  const variantMisses = variants.reduce((n, v) => n + (v.actions ?? []).filter((a, i) => !a.detected && originalOf(v)?.actions?.[i]?.detected).length, 0);
  const variantExtra = variants.reduce((n, v) => n + Math.max(0, (v.noise?.length ?? 0) - (originalOf(v)?.noise?.length ?? 0)), 0);
  const rates = measured.map(noiseRate).filter((r): r is number => r !== undefined);
  const noisy = originals.reduce((n, o) => n + (o.noise?.length ?? 0), 0);
  const benign = originals.reduce((n, o) => n + (o.benignRecords ?? 0), 0);
  const label = split === "dev" ? "Development sets" : "Held-out sets";
  if (measured.length === 0) return `${label}: none on this machine (${absent.join(", ")} absent).`;
  return (
    `${label}: ${detected} of ${actions.length} attacker actions detected at Notice or higher (${pct(detected, actions.length)}); ` +
    `${noisy} Warning+ alert(s) on ${benign} other records (${benign ? ((1000 * noisy) / benign).toFixed(2) : "-"} per 1,000; worst data set ${rates.length ? Math.max(...rates).toFixed(2) : "-"})` +
    `${variantMisses ? `; ${variantMisses} action(s) detected in an original but missed by its variant (records twice or in file order)` : ""}` +
    `${variantExtra ? `; ${variantExtra} Warning+ alert(s) more in the variants than in their originals` : ""}` +
    `${absent.length ? `; absent: ${absent.join(", ")}` : ""}.`
  );
}

/** Which rules detected each labelled action, and which alerts fell on other records. */
export function coverageDetail(outcomes: readonly DatasetOutcome[]): Table[] {
  return outcomes
    .filter((o) => o.status === "measured")
    .map((o) => ({
      header: [`${o.dataset.title}: action`, "what the attacker did", "detected by"],
      rows: [
        ...(o.actions ?? []).map((a) => [a.action, a.note, a.detected ? a.rules.join(", ") : "missed"]),
        ...summariseNoise(o).map((n) => ["(other records)", n.example, `${n.rule} (${n.priority}) ×${n.count}`]),
      ],
    }))
    .filter((t) => t.rows.length > 0);
}

function summariseNoise(o: DatasetOutcome): { rule: string; priority: string; example: string; count: number }[] {
  const by = new Map<string, { rule: string; priority: string; example: string; count: number }>();
  for (const n of o.noise ?? []) {
    const k = n.rule;
    const e = by.get(k) ?? { rule: n.rule, priority: n.priority, example: n.example, count: 0 };
    e.count++;
    by.set(k, e);
  }
  return [...by.values()].sort((a, b) => b.count - a.count);
}

/** The attacker actions of the catalogue, for the docs. */
export function actionsTable(): Table {
  return { header: ["action", "stage", "what"], rows: ACTIONS.map((a) => [a.id, a.stage.replace(/_/g, " "), a.what]) };
}
