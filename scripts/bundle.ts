import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { buildActionBundles } from "../src/action/bundle.ts";
import { type BundleName, buildBundle } from "../src/targets/kubernetes/bundle.ts";

/** Writes the in-cluster programs (load generator, reference server) to dist/ as single files. */
const names: BundleName[] = ["loadgen", "reference-server"];
const dist = new URL("../dist/", import.meta.url);
await mkdir(dist, { recursive: true });
for (const name of names) {
  const text = await buildBundle(name);
  await writeFile(new URL(`${name}.mjs`, dist), text);
  console.log(`dist/${name}.mjs: ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`);
}
// The GitHub Action's main and post steps, as action.yml runs them.
const action = await buildActionBundles(fileURLToPath(dist));
console.log(`${action.main}, ${action.post}`);
