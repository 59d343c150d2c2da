import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { atLeast, falcoJson, parsePriority, PRIORITIES, type Alert, type Evaluation, type ExactSource, type Priority } from "../engine";
import { listInputs, MAX_LOG_BYTES_HINT, maxLogBytesFromEnv, scanInputs, WHOLE_INPUT_LIMIT, type ScanInputsResult } from "../ingest/inputs";
import { availableCores } from "../parallel/pool";
import { scanInParallel } from "./scanParallel";
import { eventIdOf, SeenEvents } from "../ingest/seenEvents";
import { describeStore, stateStoreFromEnv } from "../state/fromEnv";
import { loadStatefulRules, type BatchEvaluation } from "../stateful";
import { detectorHostname } from "./host";
import { bundledRulesDir, noCloudTrailRule, readContextFiles, readRulesFiles } from "./rulesFiles";
import { checkWritable, OutputWriter } from "./outputWriter";
import { Progress } from "./progress";
import { formatSummary, scanSummary, ScanStats, type ScanSummary } from "./summary";
import { colourWanted, DEFAULT_MAX_VALUE_LENGTH, textLine } from "./textOutput";
import { onInterrupt } from "./interrupt";
import { ReportCollector } from "../report/collect";
import { renderReport } from "../report/html";
import type { ScanOutputs } from "./scanOutputs";
import { InputYield } from "./inputYield";
import { usageError } from "./usage";
import { didYouMean } from "../suggest";

export const SCAN_HELP = `Usage: s3guard scan [options] INPUT...

Evaluates CloudTrail records against Falco-format rules and prints one alert per line.

INPUT      files or folders (walked recursively) of CloudTrail log files ({"Records":[...]},
           gzip or plain), 'aws cloudtrail lookup-events' output ({"Events":[...]}), JSON
           arrays, JSON Lines or single events; '-' reads stdin. An input none of whose records
           can be evaluated (not CloudTrail JSON, records without eventTime...) is named on
           stderr with the reason; CloudTrail digest files are counted in one note.

Options:
  --rules PATH            rules file, or folder of *.yaml/*.yml files (not its subfolders);
                          repeat to load several, in order. Default: the bundled rules.
  --context FILE          the deployment's context lists (context/s3guard-context.yaml in the
                          rules bucket), applied after every rules file.
  --rule-matching MODE    first (default, Falco's): one alert per record, from the first
                          matching rule; all: every matching rule alerts.
  --format FORMAT         json (default): Falco's JSON alert; text: Falco's text line, with
                          control characters escaped, long values shortened and, on a
                          terminal, the priority in colour (NO_COLOR / FORCE_COLOR decide).
  --max-value-length N    text: cut values longer than N characters, saying how many were
                          left out (default ${DEFAULT_MAX_VALUE_LENGTH}; 0 keeps them whole). JSON keeps every value.
  --minimum-priority P    drop rules less severe than P (emergency ... debug). Default debug.
  --time-format F         iso8601 (default) or local (HH:MM:SS, Falco's default) in outputs.
  --fail-on P             exit 3 when an alert of priority P or more severe was raised (to fail
                          a pipeline on findings), e.g. --fail-on warning.
  --summary               print on stderr at the end: events, errors, events/s and alerts by
                          priority, rule, principal, bucket and source address. Ctrl-C stops
                          the scan and prints it too (exit status 130).
  --summary-json FILE     write that summary as JSON to FILE.
  --report FILE           write an HTML report to FILE: alerts over time by priority, top rules,
                          principals, buckets and source addresses, and a filterable table of
                          the alerts with each rule's runbook. One file, it loads nothing else.
  --workers N             threads that read and evaluate input files at once, the main one
                          included (default: the cores available); 1 evaluates in this thread.
                          The alerts are the same whatever N: state and repeated events are
                          worked out in input order. Rules that read evt.num or evt.reltime,
                          and stdin, use one.
  --outputs FILE          send the alerts to the outputs of FILE (Slack, Teams, PagerDuty,
                          webhook...), routed by their filters exactly as the connector does,
                          instead of printing them; what each output got is said on stderr.
  -h, --help              show this help.

Rules with threshold, suppress or sequence keys keep their state in memory for the scan, or in
the DynamoDB table named by S3GUARD_STATE_TABLE when it is set (shared with connector tasks).
A record whose eventID was already evaluated (two trails, a file given twice) is evaluated once.

Exit status (when several apply, the highest):
  0  every input was read and evaluated.
  1  some input could not be read (each is named on stderr, the others are still scanned), a
     record could not be evaluated, the state table failed, or an output did not take every
     alert routed to it.
  2  usage error; the rules or the outputs file do not load (nothing is scanned); or no record
     at all was evaluated (every input is named on stderr with the reason).
  3  --fail-on P was given and an alert of priority P or above was raised.
  130  interrupted (Ctrl-C): the summary of what was read so far is printed.`;

/** The most records whose stateful matches are decided at once (their state is still read and written once per group and part). */
const EVALUATION_BATCH = 1000;

const PRIORITY_NAMES = [...PRIORITIES.map((p) => p.toLowerCase()), "info"];
const PRIORITY_WORDS = "emergency, alert, critical, error, warning, notice, info, debug";

export async function scanCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rules: { type: "string", multiple: true },
      context: { type: "string", multiple: true },
      "rule-matching": { type: "string", default: "first" },
      format: { type: "string", default: "json" },
      "minimum-priority": { type: "string", default: "debug" },
      "time-format": { type: "string", default: "iso8601" },
      "fail-on": { type: "string" },
      summary: { type: "boolean", default: false },
      "summary-json": { type: "string" },
      report: { type: "string" },
      "max-value-length": { type: "string" },
      outputs: { type: "string" },
      workers: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(SCAN_HELP + "\n");
    return 0;
  }
  const usage = (msg: string) => usageError("scan", msg);
  if (positionals.length === 0) return usage("no INPUT given (use '-' for stdin)");
  const ruleMatching = values["rule-matching"];
  if (ruleMatching !== "first" && ruleMatching !== "all") return usage(`--rule-matching must be first or all, not '${ruleMatching}'${didYouMean(ruleMatching as string, ["first", "all"])}`);
  const format = values.format;
  if (format !== "json" && format !== "text") return usage(`--format must be json or text, not '${format}'${didYouMean(format as string, ["json", "text"])}`);
  const minimumPriority = parsePriority(values["minimum-priority"] as string);
  if (!minimumPriority) return usage(`--minimum-priority must be a priority (${PRIORITY_WORDS}), not '${values["minimum-priority"]}'${didYouMean(values["minimum-priority"] as string, PRIORITY_NAMES)}`);
  let failOn: Priority | undefined;
  if (values["fail-on"] !== undefined) {
    failOn = parsePriority(values["fail-on"]);
    if (!failOn) return usage(`--fail-on must be a priority (${PRIORITY_WORDS}), not '${values["fail-on"]}'${didYouMean(values["fail-on"], PRIORITY_NAMES)}`);
  }
  let workers = availableCores();
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!/^\d+$/.test(values.workers) || workers < 1 || workers > 256) return usage(`--workers must be a whole number from 1 to 256, not '${values.workers}'`);
  }
  const maxValueLength = values["max-value-length"] === undefined ? DEFAULT_MAX_VALUE_LENGTH : Number(values["max-value-length"]);
  if (!Number.isInteger(maxValueLength) || maxValueLength < 0) return usage(`--max-value-length must be a whole number of characters (0 keeps values whole), not '${values["max-value-length"]}'`);
  for (const [option, file] of [["--summary-json", values["summary-json"]], ["--report", values.report]] as const) {
    const problem = file === undefined ? undefined : checkWritable(file, option);
    if (problem) return usage(problem);
  }
  const timeFormat = values["time-format"];
  if (timeFormat !== "iso8601" && timeFormat !== "local") return usage(`--time-format must be iso8601 or local, not '${timeFormat}'${didYouMean(timeFormat as string, ["iso8601", "local"])}`);
  let maxLogBytes: number;
  try {
    maxLogBytes = maxLogBytesFromEnv();
  } catch (e) {
    return usage((e as Error).message);
  }

  let files;
  try {
    files = [...(await readRulesFiles(values.rules?.length ? values.rules : [bundledRulesDir()])), ...(await readContextFiles(values.context ?? []))];
  } catch (e) {
    process.stderr.write(`s3guard scan: ${(e as Error).message}\n`);
    return 2;
  }
  const store = stateStoreFromEnv();
  const loaded = loadStatefulRules(files, { ruleMatching, minimumPriority, hostname: detectorHostname(), timeFormat }, store);
  for (const w of loaded.warnings) process.stderr.write(`warning: ${w.text}\n`);
  if (!loaded.ok || !loaded.ruleset || !loaded.stateful) {
    for (const e of loaded.errors) process.stderr.write(`error: ${e.text}\n`);
    process.stderr.write("s3guard scan: the rules did not load; nothing was scanned\n");
    await store.close?.();
    return 2;
  }
  const ruleset = loaded.ruleset;
  const empty = noCloudTrailRule(ruleset.describe().rules, loaded.warnings);
  if (empty) {
    process.stderr.write(`s3guard scan: ${empty}; nothing was scanned\n`);
    await store.close?.();
    return 2;
  }
  const stateful = loaded.stateful.stateful ? loaded.stateful : undefined;
  // Loaded only with --outputs: the AWS clients it brings weigh on every start otherwise.
  const outputs: ScanOutputs | undefined = values.outputs
    ? await (require("./scanOutputs") as typeof import("./scanOutputs")).ScanOutputs.open(values.outputs, ruleset.active, (l) => process.stderr.write(l + "\n"))
    : undefined;
  if (values.outputs && !outputs) {
    process.stderr.write("s3guard scan: the outputs file cannot be used; nothing was scanned\n");
    await store.close?.();
    return 2;
  }

  const out = new OutputWriter(process.stdout);
  const stats = new ScanStats();
  const progress = new Progress(process.stderr, stats);
  const textOptions = { colour: colourWanted(process.stdout), maxValueLength };
  const render = format === "json" ? falcoJson : (a: Alert) => textLine(a, textOptions);
  const collected = values.report ? new ReportCollector() : undefined;
  // A record some rule could not evaluate is named; its other rules, and every other record, still count.
  let evaluationErrors = 0;
  // Alerts at or above --fail-on: any makes the exit status 3.
  let failedOn = 0;
  const yields = new InputYield();
  const report = ({ alerts, skipped, errors }: Evaluation, input: string, n: number, record: unknown) => {
    stats.events++;
    yields.record(input, record, skipped);
    if (skipped) stats.skipped++;
    for (const e of errors ?? []) {
      evaluationErrors++;
      stats.errors++;
      progress.clear();
      process.stderr.write(`error: ${input}: record ${n}: not evaluated by ${e}\n`);
    }
    for (const a of alerts) {
      stats.alert(a);
      collected?.add(a);
      if (failOn && atLeast(a.priority, failOn)) failedOn++;
      if (outputs) outputs.add(a);
      else out.line(render(a));
    }
    progress.tick();
  };
  // Stateful rules work on batches (their state is read and written once per group and batch):
  // each record is inspected as it is read, and the inspections of each input (or streamed chunk)
  // are decided together, in order. Only a skipped record is kept, for the report about its input.
  let batch: BatchEvaluation[] = [];
  let origins: [string, number, unknown][] = [];
  let stateError: string | undefined;
  const evaluateBatch = async () => {
    if (!stateful || batch.length === 0) return;
    const [records, at] = [batch, origins];
    [batch, origins] = [[], []];
    if (stateError !== undefined) return;
    try {
      // A whole input parsed at once gives tens of thousands of records: decided together, their
      // steps and decisions would all be held at once, and V8 sizes the heap from that peak.
      for (let from = 0; from < records.length; from += EVALUATION_BATCH) {
        const part = records.slice(from, from + EVALUATION_BATCH);
        (await stateful.decideEvaluations(part)).forEach((e, i) => report(e, ...at[from + i]));
      }
    } catch (e) {
      stateError = (e as Error).message;
      yields.stateFailed();
      progress.clear();
      process.stderr.write(`error: state (${describeStore(store)}): ${stateError}; the remaining records are not evaluated\n`);
    }
  };
  const seen = new SeenEvents();
  const failedInputs = new Set<string>();
  let writeFailed = false;
  // What was found, as --summary, --summary-json and --report ask; synchronous, for Ctrl-C too.
  const finish = (result: ScanInputsResult, interrupted: boolean) => {
    const summary = scanSummary(stats, result, interrupted);
    if (values.summary || interrupted) {
      process.stderr.write(formatSummary(summary));
      const learned = ruleset.context.learnedLogBuckets();
      if (learned.length) process.stderr.write(`  log buckets learned from CreateTrail/UpdateTrail: ${learned.join(", ")}\n`);
      if (stateful) {
        const m = stateful.metrics();
        process.stderr.write(
          `  stateful: state in ${describeStore(store)}; ${m.alerts} alerts, ${m.countedIntoAlerts} matches counted into earlier alerts, ` +
            `${m.duplicates} repeated records counted once, ${m.evictedLive} live groups evicted to stay within memory\n`,
        );
      }
    }
    const write = (option: string, file: string | undefined, content: (s: ScanSummary) => string) => {
      if (file === undefined) return;
      try {
        writeFileSync(file, content(summary));
      } catch (e) {
        writeFailed = true;
        process.stderr.write(`error: ${option} ${file}: cannot write: ${(e as Error).message}\n`);
      }
    };
    write("--summary-json", values["summary-json"], (s) => JSON.stringify(s, null, 2) + "\n");
    write("--report", values.report, (s) => renderReport(s, collected!, { generatedAt: new Date().toISOString(), inputs: positionals }));
  };
  const stopInterrupt = onInterrupt(() => {
    out.flush();
    progress.clear();
    finish({ inputs: stats.inputs, unreadable: failedInputs.size }, true);
  });
  // Inputs none of whose records could be evaluated (named on stderr with the reason).
  let unusable = 0;
  const error = (input: string, message: string, where?: string) => {
    stats.errors++;
    failedInputs.add(input);
    yields.failed(input);
    progress.clear();
    process.stderr.write(`error: ${input}${where ? `: ${where}` : ""}: ${message}\n`);
  };
  const inputDone = (input: string) => {
    stats.inputs++;
    progress.inputDone();
    const verdict = yields.done(input);
    if (verdict?.level === "error") unusable++;
    if (verdict) {
      progress.clear();
      process.stderr.write(`${verdict.level}: ${verdict.text}\n`);
    }
  };
  const drain = async () => {
    await evaluateBatch();
    await out.drain();
    await outputs?.drain();
  };

  const record = (record: Record<string, unknown>, input: string, exact: ExactSource | undefined, n: number) => {
    const id = eventIdOf(record);
    if (id !== undefined && !seen.add(id)) {
      stats.repeated++;
      yields.repeated(input);
      return;
    }
    if (!stateful) return report(ruleset.inspect(record, exact), input, n, record);
    if (stateError !== undefined) return;
    const e = stateful.inspect(record, exact);
    batch.push(e);
    origins.push([input, n, e.skipped ? record : undefined]);
  };

  // Several files and rules that do not depend on the order of every event: worker threads.
  const parallel = workers > 1 && !positionals.includes("-") && !ruleset.readsRunOrder() && (await listInputs(positionals, () => undefined)).length > 1;
  const result = parallel
    ? await scanInParallel(
        positionals,
        {
          report,
          error,
          repeated(input) {
            stats.repeated++;
            yields.repeated(input);
          },
          stateFailed(message) {
            stateError = message;
            yields.stateFailed();
            progress.clear();
            process.stderr.write(`error: state (${describeStore(store)}): ${stateError}; the remaining records are not evaluated\n`);
          },
          drain,
          inputDone,
          planned: (plan) => progress.planned(plan),
          record,
        },
        { workers, setup: { files, options: { ruleMatching, minimumPriority, hostname: detectorHostname(), timeFormat }, read: { wholeBytes: WHOLE_INPUT_LIMIT, maxBytes: maxLogBytes, raiseHint: MAX_LOG_BYTES_HINT } }, ruleset, stateful, plan: loaded.stateful.plan, seen },
      )
    : await scanInputs(positionals, {
    record,
    error,
    drain,
    planned: (plan) => progress.planned(plan),
    inputDone,
  }, { maxLogBytes });
  await evaluateBatch();
  await out.close();
  progress.clear();
  const undelivered = outputs ? await outputs.close((l) => process.stderr.write(l + "\n")) : 0;
  await store.close?.();
  const evicted = stateful?.metrics().evictedLive ?? 0;
  if (evicted > 0) {
    process.stderr.write(`warning: ${evicted} live stateful windows were dropped to keep state within its memory budget; their counts started again (raise S3GUARD_STATE_MEMORY_MB)\n`);
  }
  stopInterrupt();
  finish(result, false);
  const note = yields.note();
  if (note) process.stderr.write(`note: ${note}\n`);
  if (failedOn > 0) return 3;
  if (yields.evaluated === 0 && stateError === undefined) {
    process.stderr.write("s3guard scan: no CloudTrail record was evaluated (see above why for each input)\n");
    return 2;
  }
  return unusable > 0 || result.unreadable > 0 || evaluationErrors > 0 || stateError !== undefined || undelivered > 0 || writeFailed ? 1 : 0;
}
