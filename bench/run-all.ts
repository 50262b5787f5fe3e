/**
 * `npm run bench` runs every part; `npm run bench -- <part> [<part> ...]` runs some of them.
 * Prints one table per part, then the targets, met or missed. Benchmarks print figures; they assert nothing.
 */
import { execFileSync } from "node:child_process";
import type { BenchContext } from "./lib/context.ts";
import type { PartResult, TargetCheck } from "./lib/figures.ts";
import { table } from "./lib/figures.ts";
import { machineFacts } from "./lib/machine.ts";
import { detectPeers, peerVersions } from "./lib/peers.ts";
import { CLIENT_CORE } from "./lib/processes.ts";
import { accuracyPart } from "./parts/accuracy.ts";
import { capacityPart } from "./parts/capacity.ts";
import { footprintPart } from "./parts/footprint.ts";
import { omissionPart } from "./parts/omission.ts";
import { referencePart } from "./parts/reference.ts";
import { workloadPart } from "./parts/workload.ts";

const PARTS: Record<string, (context: BenchContext) => Promise<PartResult>> = {
  workload: workloadPart,
  capacity: capacityPart,
  accuracy: accuracyPart,
  omission: omissionPart,
  footprint: footprintPart,
  reference: referencePart,
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in PARTS));
if (unknown.length > 0) {
  console.error(`unknown part ${unknown.join(", ")}: valid parts are ${Object.keys(PARTS).join(", ")}`);
  process.exit(2);
}
const selected = requested.length === 0 ? Object.keys(PARTS) : requested;

const peers = detectPeers();
if (peers.taskset) {
  // Every thread of this process, and the clients it starts unpinned, stay on the client core.
  execFileSync("taskset", ["-a", "-p", "-c", String(CLIENT_CORE), String(process.pid)], { stdio: "ignore" });
}
console.log("# etude benchmarks\n");
console.log(machineFacts());
const versions = Object.entries(peerVersions(peers)).map(([name, version]) => `${name} ${version}`);
console.log(`peers: ${versions.join(", ") || "none"}`);
for (const note of peers.notes) console.log(`missing: ${note}`);

const context: BenchContext = { peers };
const targets: TargetCheck[] = [];
const started = performance.now();
for (const name of selected) {
  const partStarted = performance.now();
  console.log();
  try {
    const result = await PARTS[name]!(context);
    console.log(`## ${result.title}\n\n${result.text}`);
    targets.push(...result.targets);
  } catch (error) {
    console.log(`## ${name}: failed\n\n${(error as Error).stack ?? String(error)}`);
    targets.push({
      part: name,
      target: "part ran",
      measured: (error as Error).message.split("\n")[0]!,
      met: false,
    });
  }
  console.log(
    `\n(${((performance.now() - partStarted) / 1000).toFixed(0)} s; load average now ${machineFacts().split("load average ")[1]})`,
  );
}
console.log("\n## Summary\n");
const verdict = (met: boolean | null) => (met === null ? "not measured" : met ? "met" : "MISSED");
console.log(
  table(
    ["part", "target", "measured", "verdict"],
    targets.map((t) => [t.part, t.target, t.measured, verdict(t.met)]),
  ),
);
console.log(`\nTotal ${((performance.now() - started) / 1000 / 60).toFixed(1)} min.`);
