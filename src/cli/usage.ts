/** A command line that cannot be understood: exit code 2 with the command's help. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const MAIN_HELP = `etude: benchmark the inference of session-based recommendation models

Usage: etude <command> [options]

Commands:
  run [spec]         run the benchmark a spec declares (default: etude.yml) and write results and report
  serve              start the bundled reference inference server
  fit <file>         fit the workload's power-law exponents to a real click log or click-count column
  report <results>   re-render the markdown report and chart from a results JSON file
  cleanup            delete what Kubernetes runs left behind (by run id, or every expired run)

Run \`etude <command> --help\` for a command's options.

Exit codes: 0 every constraint passed; 1 a constraint failed; 2 bad spec or usage;
3 infrastructure error (server unreachable, readiness timeout, crashed target);
4 the measurement is invalid (the load generator could not keep up, or the target rate was never offered);
130 interrupted (the partial results and report are still written).`;
