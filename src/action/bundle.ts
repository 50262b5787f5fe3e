/** Bundles the action's main and post steps into single files, as action.yml runs them. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Writes action.mjs and action-post.mjs into `outDir`; returns their paths. */
export async function buildActionBundles(outDir: string): Promise<{ main: string; post: string }> {
  const esbuild = await import("esbuild");
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: {
      action: fileURLToPath(new URL("./main.ts", import.meta.url)),
      "action-post": fileURLToPath(new URL("./post.ts", import.meta.url)),
    },
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    // Only needed to build the in-cluster programs from sources, which the action reads from dist/ instead.
    external: ["esbuild"],
    legalComments: "none",
    logLevel: "silent",
    banner: {
      js: 'import { createRequire as etudeCreateRequire } from "node:module";\nconst require = etudeCreateRequire(import.meta.url);',
    },
  });
  return { main: join(outDir, "action.mjs"), post: join(outDir, "action-post.mjs") };
}
