import { fileURLToPath } from "node:url";
import { CLIENT_CORE, runPinned } from "./processes.ts";

/** What a peer load tool reports: its rate and its latency percentiles in milliseconds. */
export interface PeerReading {
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  /** Non-2xx answers and socket errors. */
  errors: number;
}

const PREDICTION_PATH = "/predictions/model/1.0/";
const REQUEST_BODY = '{"instances":[{"context":[17,4,99]}],"parameters":[{"runtime":""}]}';
const WRK_SCRIPT = fileURLToPath(new URL("../post.lua", import.meta.url));

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function wrkDuration(text: string): number {
  const match = text.match(/^([\d.]+)(us|ms|s|m)$/);
  if (match === null)
    throw new Error(`wrk printed a latency "${text}" that is not a number with us, ms, s or m`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

/** wrk: closed loop, `connections` connections on one thread; `--latency` gives its percentiles. */
export async function runWrk(
  binary: string,
  url: string,
  options: { connections: number; seconds: number },
): Promise<PeerReading> {
  const args = [
    "-t1",
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    "--latency",
    "--timeout",
    "10s",
    "-s",
    WRK_SCRIPT,
    url + PREDICTION_PATH,
  ];
  const output = await runPinned(CLIENT_CORE, binary, args, (options.seconds + 30) * 1000);
  const percentile = (label: string) => {
    const match = output.match(new RegExp(`^\\s+${label}%\\s+(\\S+)`, "m"));
    if (match === null) throw new Error(`wrk printed no ${label}% latency:\n${output}`);
    return wrkDuration(match[1]!);
  };
  const rate = output.match(/Requests\/sec:\s+([\d.]+)/);
  if (rate === null) throw new Error(`wrk printed no Requests/sec:\n${output}`);
  const socketErrors = output.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const non2xx = output.match(/Non-2xx or 3xx responses: (\d+)/);
  const errors =
    (socketErrors === null ? 0 : socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0)) +
    (non2xx === null ? 0 : Number(non2xx[1]));
  return {
    requestsPerSecond: Number(rate[1]),
    p50: percentile("50"),
    p90: percentile("90"),
    p99: percentile("99"),
    errors,
  };
}

/** autocannon: closed loop on `connections` connections, one Node process (no workers). */
export async function runAutocannon(
  script: string,
  url: string,
  options: { connections: number; seconds: number },
): Promise<PeerReading> {
  const args = [
    script,
    "--json",
    "-c",
    String(options.connections),
    "-d",
    String(options.seconds),
    "-m",
    "POST",
    "-H",
    "content-type=application/json",
    "-b",
    REQUEST_BODY,
    url + PREDICTION_PATH,
  ];
  const output = await runPinned(CLIENT_CORE, process.execPath, args, (options.seconds + 30) * 1000);
  const result = JSON.parse(output) as {
    requests: { average: number };
    latency: { p50: number; p90: number; p99: number };
    errors: number;
    non2xx: number;
    timeouts: number;
  };
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

/** hey: `workers` workers, each limited to `perWorkerRate` requests per second (its -q), for `seconds`. */
export async function runHey(
  binary: string,
  url: string,
  options: { workers: number; perWorkerRate: number; seconds: number },
): Promise<PeerReading> {
  const args = [
    "-z",
    `${options.seconds}s`,
    "-c",
    String(options.workers),
    "-q",
    String(options.perWorkerRate),
    "-m",
    "POST",
    "-T",
    "application/json",
    "-d",
    REQUEST_BODY,
    url + PREDICTION_PATH,
  ];
  const output = await runPinned(CLIENT_CORE, binary, args, (options.seconds + 30) * 1000);
  const percentile = (label: string) => {
    const match = output.match(new RegExp(`^\\s+${label}%+ in ([\\d.]+) secs`, "m"));
    if (match === null) throw new Error(`hey printed no ${label}% latency:\n${output}`);
    return Number(match[1]) * 1000;
  };
  const rate = output.match(/Requests\/sec:\s+([\d.]+)/);
  if (rate === null) throw new Error(`hey printed no Requests/sec:\n${output}`);
  const ok = output.match(/\[200\]\s+(\d+) responses/);
  const total = output.match(/Total:\s+[\d.]+ secs/);
  const errorLines = output.match(/Error distribution:[\s\S]*/);
  const errors =
    errorLines === null ? 0 : [...errorLines[0].matchAll(/\[(\d+)\]/g)].reduce((s, m) => s + Number(m[1]), 0);
  if (ok === null || total === null) throw new Error(`hey printed no count of 200 answers:\n${output}`);
  return {
    requestsPerSecond: Number(rate[1]),
    p50: percentile("50"),
    p90: percentile("90"),
    p99: percentile("99"),
    errors,
  };
}
