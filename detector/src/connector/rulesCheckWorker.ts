import { parentPort, workerData } from "node:worker_threads";
import type { EngineLoadOptions, RulesFile } from "../engine";
import { loadStatefulRules } from "../stateful";

/**
 * Loads a rules update in a worker thread and says whether it loads (see rulesCheck.ts). Whatever
 * the files hold, a crash, an endless load or exhausted memory ends this thread, not the service.
 */
const { files, options } = workerData as { files: RulesFile[]; options: EngineLoadOptions };
const result = loadStatefulRules(files, options);
parentPort?.postMessage({ ok: result.ok, errors: result.errors.map((e) => e.text), warnings: result.warnings.length });
