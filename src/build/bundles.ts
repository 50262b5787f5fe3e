/**
 * Every program etude ships as one self-contained file in dist/: the CLI, the action's two steps, and
 * the programs that run on a stock Node image inside the cluster. One esbuild configuration for all,
 * not minified (minifying renames error classes) and deterministic (paths relative to the repository).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const BUNDLES = {
  cli: "src/cli/main.ts",
  action: "src/action/main.ts",
  "action-post": "src/action/post.ts",
  loadgen: "src/targets/kubernetes/job-entry.ts",
  "reference-server": "src/targets/kubernetes/server-entry.ts",
  "inference-worker": "src/server/inference-worker.ts",
} as const;

export type BundleName = keyof typeof BUNDLES;

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Builds one bundle in memory. */
export async function buildBundleText(name: BundleName): Promise<string> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, BUNDLES[name])],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    write: false,
    // Only used to build bundles from sources in a checkout; a bundle reads dist/ instead.
    external: ["esbuild"],
    legalComments: "none",
    logLevel: "silent",
    banner: {
      js: 'import { createRequire as etudeCreateRequire } from "node:module";\nconst require = etudeCreateRequire(import.meta.url);',
    },
  });
  return result.outputFiles[0]!.text;
}

/** Writes the named bundles (all by default) into `outDir` as `<name>.mjs`; returns their paths. */
export async function writeBundles(
  outDir: string,
  names: readonly BundleName[] = Object.keys(BUNDLES) as BundleName[],
): Promise<Record<string, string>> {
  await mkdir(outDir, { recursive: true });
  const paths: Record<string, string> = {};
  for (const name of names) {
    const path = join(outDir, `${name}.mjs`);
    await writeFile(path, await buildBundleText(name));
    paths[name] = path;
  }
  return paths;
}
