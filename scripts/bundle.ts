import { mkdir, writeFile } from "node:fs/promises";
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
