import { parseArgs } from "node:util";
import { fitClickFile } from "../../workload/fit-file.ts";
import { renderFitReport } from "../../workload/fit-report.ts";
import { EXIT } from "../exit-codes.ts";
import { UsageError } from "../usage.ts";

export const FIT_HELP = `Usage: etude fit <file> [options]

Fits the workload's count distributions (item popularity; session lengths from a click log) to a real
click log (CSV with session and item id columns, optional timestamp) or to a column of per-item click
counts. Two models each, after Clauset, Shalizi and Newman (2009): a discrete power law over the whole
range (maximum likelihood), and a power law above the x_min that minimises the KS distance with the
empirical distribution below it. Prints both fits with their KS goodness, how closely synthetic
sessions from each resemble the real log (top-1% share, items clicked), the recommended model, and a
spec snippet.

Options:
  --column <name>   the per-item click-count column (default: detected from the header)
  --json            print the fit as JSON
  -h, --help        show this help`;

export async function fitCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      column: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(FIT_HELP);
    return EXIT.pass;
  }
  const [file, ...rest] = positionals;
  if (file === undefined || rest.length > 0) throw new UsageError("etude fit takes exactly one file");
  const report = await fitClickFile(file, { column: values.column });
  console.log(values.json ? JSON.stringify(report, null, 2) : renderFitReport(report));
  return EXIT.pass;
}
