import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { readResults } from "../../analysis/results.ts";
import { writeReport } from "../../report/write.ts";
import { EXIT } from "../exit-codes.ts";
import { UsageError } from "../usage.ts";

export const REPORT_HELP = `Usage: etude report <results.json> [options]

Re-analyses a results file from its stored histograms and writes report.md and chart.svg again.

Options:
  --out <dir>   where to write (default: the results file's folder)
  -h, --help    show this help`;

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(REPORT_HELP);
    return EXIT.pass;
  }
  const [file, ...rest] = positionals;
  if (file === undefined || rest.length > 0)
    throw new UsageError("etude report takes exactly one results file");
  const results = await readResults(file);
  const written = await writeReport(values.out ?? dirname(file), results);
  console.log(`report: ${written.markdown}`);
  console.log(`chart:  ${written.chart}`);
  return EXIT.pass;
}
