import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** Programs that run inside the cluster on a stock Node image, each bundled into one file. */
export type BundleName = "loadgen" | "reference-server";

const ENTRIES: Record<BundleName, string> = {
  loadgen: "job-entry.ts",
  "reference-server": "server-entry.ts",
};

/** The repository root, whose layout esbuild records in comments: fixed, so the output is deterministic. */
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Bundles an in-cluster program with esbuild: ESM, not minified, with `require` for CommonJS dependencies. */
export async function buildBundle(name: BundleName): Promise<string> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [fileURLToPath(new URL(`./${ENTRIES[name]}`, import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    write: false,
    legalComments: "none",
    logLevel: "silent",
    banner: {
      js: 'import { createRequire as etudeCreateRequire } from "node:module";\nconst require = etudeCreateRequire(import.meta.url);',
    },
  });
  return result.outputFiles[0]!.text;
}

/**
 * The bundle's text: built from source when the sources are present (a checkout, tests), otherwise
 * read from ETUDE_BUNDLE_DIR or the dist folder shipped with the product.
 */
export async function loadBundle(name: BundleName): Promise<string> {
  if (existsSync(new URL(`./${ENTRIES[name]}`, import.meta.url))) return buildBundle(name);
  const candidates = [
    process.env.ETUDE_BUNDLE_DIR ? `${process.env.ETUDE_BUNDLE_DIR}/${name}.mjs` : undefined,
    fileURLToPath(new URL(`./${name}.mjs`, import.meta.url)),
    `${ROOT}dist/${name}.mjs`,
  ].filter((path) => path !== undefined);
  for (const path of candidates) {
    if (existsSync(path)) return readFile(path, "utf8");
  }
  throw new Error(
    `the ${name} bundle is missing: looked in ${candidates.join(", ")} (run scripts/bundle.ts)`,
  );
}
