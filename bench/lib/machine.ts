import { cpus, freemem, loadavg, release, totalmem } from "node:os";

/** The facts a reader needs to weigh the figures: cores, CPU, memory, kernel, runtime, load. */
export function machineFacts(): string {
  const cores = cpus();
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(", ");
  return [
    `nproc ${cores.length}, CPU ${cores[0]?.model ?? "unknown"}, memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} GiB free)`,
    `kernel ${release()}, Node ${process.version}, load average ${load} (1, 5, 15 min)`,
  ].join("\n");
}
