import { stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { writeBundles } from "../src/build/bundles.ts";

/** `npm run bundle`: rebuilds every program in dist/; CI fails when the committed dist/ differs. */
const paths = await writeBundles(fileURLToPath(new URL("../dist/", import.meta.url)));
for (const path of Object.values(paths)) {
  console.log(`${path}: ${((await stat(path)).size / 1024).toFixed(0)} KiB`);
}
