import { parseArgs } from "node:util";
import { fitClickFile } from "../../workload/fit-file.ts";
import { renderFitReport } from "../../workload/fit-report.ts";
import { EXIT } from "../exit-codes.ts";
import { UsageError } from "../usage.ts";

export const FIT_HELP = `Usage: etude fit <file> [options]

Fits the workload's power-law exponents to a real click log (CSV with session and item id columns,
optional timestamp) or to a column of per-item click counts, with the discrete maximum-likelihood
estimator and the x_min that minimises the KS distance (Clauset, Shalizi and Newman 2009). Prints the
fitted values, their KS goodness, how realistic the synthetic workload is, and a spec snippet.

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
