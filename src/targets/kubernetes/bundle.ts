import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { BUNDLES, type BundleName, buildBundleText } from "../../build/bundles.ts";

/** Programs that run inside the cluster on a stock Node image. */
export type ClusterBundle = Extract<BundleName, "loadgen" | "reference-server">;

/**
 * The bundle's text: built from source when running from the sources (a checkout, tests), otherwise
 * read from ETUDE_BUNDLE_DIR or from beside the running bundle in dist/.
 */
export async function loadBundle(name: ClusterBundle): Promise<string> {
  if (existsSync(new URL(`../../../${BUNDLES[name]}`, import.meta.url))) return buildBundleText(name);
  const candidates = [
    process.env.ETUDE_BUNDLE_DIR ? `${process.env.ETUDE_BUNDLE_DIR}/${name}.mjs` : undefined,
    fileURLToPath(new URL(`./${name}.mjs`, import.meta.url)),
  ].filter((path) => path !== undefined);
  for (const path of candidates) {
    if (existsSync(path)) return readFile(path, "utf8");
  }
  throw new Error(`the ${name} bundle is missing: looked in ${candidates.join(", ")} (run npm run bundle)`);
}
