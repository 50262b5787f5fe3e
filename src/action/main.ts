/** Entry point of the action's main step: wires the real GitHub, benchmark runner and runner files. */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import * as core from "@actions/core";
import { readResults } from "../analysis/results.ts";
import { runBenchmark } from "../benchmark/run.ts";
import { runSweep } from "../benchmark/sweep.ts";
import { createGitHubApi, createOctokit } from "../github/index.ts";
import { readSweep } from "../matrix/sweep-file.ts";
import { loadSpec } from "../spec/index.ts";
import { runAction } from "./action.ts";
import { saveRunState } from "./state.ts";

const abort = new AbortController();
// The runner sends SIGINT on cancellation: stop the load, keep what was measured, let the post step clean up.
process.once("SIGINT", () => abort.abort(new Error("the workflow run was cancelled")));
process.once("SIGTERM", () => abort.abort(new Error("the workflow run was cancelled")));

await runAction({
  env: process.env,
  getInput: (name) => core.getInput(name),
  github: (token) =>
    createGitHubApi(
      createOctokit(token, process.env.GITHUB_API_URL ? { baseUrl: process.env.GITHUB_API_URL } : {}),
    ),
  loadSpec: (path) => loadSpec(path),
  readResults,
  runBenchmark,
  runSweep,
  readSweep,
  writeFile: async (path, text) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, "utf8");
  },
  chdir: (path) => process.chdir(path),
  newRunId: () => {
    const run = process.env.GITHUB_RUN_ID
      ? `${process.env.GITHUB_RUN_ID}-${process.env.GITHUB_RUN_ATTEMPT ?? "1"}-`
      : "";
    return `gh-${run}${randomBytes(3).toString("hex")}`;
  },
  saveState: saveRunState,
  setOutput: (name, value) => core.setOutput(name, value),
  appendSummary: async (markdown) => {
    await core.summary.addRaw(markdown, true).write();
  },
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  setFailed: (message) => core.setFailed(message),
  signal: abort.signal,
});
