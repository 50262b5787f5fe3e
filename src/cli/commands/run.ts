import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { runBenchmark } from "../../benchmark/run.ts";
import { runSweep } from "../../benchmark/sweep.ts";
import { DEFAULT_SPEC_FILE, loadSpec } from "../../spec/index.ts";
import { EXIT } from "../exit-codes.ts";
import { createProgress } from "../progress.ts";
import { UsageError } from "../usage.ts";

export const RUN_HELP = `Usage: etude run [spec] [options]

Runs the benchmark a spec declares (default: ${DEFAULT_SPEC_FILE}) and writes results.json, report.md
and chart.svg. Ctrl-C stops the load and still writes what was measured.

Options:
  --out <dir>          where to write the results (default: etude-results/<spec name>)
  --repetitions <n>    override the spec's repetitions
  --run-id <id>        name of this run's cluster resources (default: random)
  --request-log        also write one JSON line per request to <out>/requests-<variant>-<n>.jsonl
                       (intended, sent and answer times, outcome; local targets)
  --rerun              with a matrix: run finished cells again instead of keeping them
  -h, --help           show this help`;

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      repetitions: { type: "string" },
      "run-id": { type: "string" },
      "request-log": { type: "boolean", default: false },
      rerun: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(RUN_HELP);
    return EXIT.pass;
  }
  if (positionals.length > 1)
    throw new UsageError(`etude run takes one spec file, got ${positionals.join(" ")}`);
  const spec = await loadSpec(positionals[0] ?? DEFAULT_SPEC_FILE);
  if (values.repetitions !== undefined)
    spec.repetitions = parsePositiveInteger("--repetitions", values.repetitions);

  const controller = new AbortController();
  const interrupt = () => {
    console.error(
      "\nstopping: finishing in-flight requests and writing what was measured (Ctrl-C again to quit)",
    );
    controller.abort();
    process.once("SIGINT", () => process.exit(EXIT.interrupted));
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  const progress = createProgress(process.stderr);
  try {
    if (spec.matrix !== undefined) {
      const sweep = await runSweep({
        spec,
        runId: values["run-id"] ?? randomBytes(4).toString("hex"),
        outDir: values.out ?? `etude-results/${spec.name}`,
        signal: controller.signal,
        rerun: values.rerun ?? false,
        log: (line) => {
          progress.done();
          console.error(line);
        },
        onSecond: (event) => progress.update(event),
      });
      progress.done();
      console.log(`sweep:  ${sweep.files.sweep}\nreport: ${sweep.files.report}`);
      return sweep.interrupted ? EXIT.interrupted : EXIT.pass;
    }
    const outcome = await runBenchmark({
      spec,
      runId: values["run-id"] ?? randomBytes(4).toString("hex"),
      outDir: values.out ?? `etude-results/${spec.name}`,
      requestLog: values["request-log"],
      signal: controller.signal,
      log: (line) => {
        progress.done();
        console.error(line);
      },
      onSecond: (event) => progress.update(event),
    });
    progress.done();
    for (const variant of outcome.variants) {
      console.log(`verdict: ${variant.verdict}`);
      for (const reason of variant.results.analysis.combined.invalidReasons)
        console.error(`invalid: ${reason}`);
      console.log(`results: ${variant.files.results}`);
      console.log(`report:  ${variant.files.report}`);
      console.log(`chart:   ${variant.files.chart}`);
    }
    if (outcome.interrupted) return EXIT.interrupted;
    const verdicts = outcome.variants.map((variant) => variant.verdict);
    if (verdicts.includes("invalid")) return EXIT.invalid;
    if (verdicts.includes("fail")) return EXIT.constraintFailed;
    return EXIT.pass;
  } finally {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
  }
}

function parsePositiveInteger(option: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new UsageError(`${option} must be a whole number of 1 or more, got "${value}"`);
  }
  return number;
}
