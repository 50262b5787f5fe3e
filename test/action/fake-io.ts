/**
 * An `ActionIO` for the main step's flow in process: the runner's side effects are recorded, GitHub is
 * reached through the real Octokit at `githubUrl`, and each test supplies what it measures.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ActionIO } from "../../src/action/action.ts";
import type { RunState } from "../../src/action/state.ts";
import { createGitHubApi, createOctokit } from "../../src/github/index.ts";

export const OWNER = "acme";
export const REPO = "recs";

/** What the step told the runner. */
export interface Recorded {
  outputs: Record<string, string>;
  failures: string[];
  warnings: string[];
  summary: string[];
  states: RunState[];
}

/** Writes a pull_request event payload for pull request `pull` and returns its path. */
export async function writePullRequestEvent(dir: string, pull: number, headRepo = `${OWNER}/${REPO}`) {
  const eventPath = join(dir, `event-${pull}.json`);
  const branch = (ref: string, repo: string) => ({ ref, sha: "b".repeat(40), repo: { full_name: repo } });
  await writeFile(
    eventPath,
    JSON.stringify({
      pull_request: { number: pull, head: branch("f", headRepo), base: branch("main", `${OWNER}/${REPO}`) },
    }),
  );
  return eventPath;
}

type Measuring = Pick<
  ActionIO,
  "loadSpec" | "readResults" | "runBenchmark" | "runSweep" | "readSweep" | "chdir" | "newRunId"
>;

export function recordingIO(
  setting: { dir: string; eventPath: string; githubUrl: string; inputs: Record<string, string> },
  measuring: Measuring,
): { io: ActionIO; recorded: Recorded } {
  const recorded: Recorded = { outputs: {}, failures: [], warnings: [], summary: [], states: [] };
  const io: ActionIO = {
    ...measuring,
    env: {
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: setting.eventPath,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_WORKSPACE: setting.dir,
      RUNNER_TEMP: join(setting.dir, "temp"),
    },
    getInput: (name) => ({ "github-token": "ghs_write", ...setting.inputs })[name] ?? "",
    github: (token) => createGitHubApi(createOctokit(token, { baseUrl: setting.githubUrl })),
    writeFile: async () => {},
    saveState: (state) => recorded.states.push(state),
    setOutput: (name, value) => {
      recorded.outputs[name] = value;
    },
    appendSummary: async (markdown) => {
      recorded.summary.push(markdown);
    },
    info: () => {},
    warning: (message) => recorded.warnings.push(message),
    setFailed: (message) => recorded.failures.push(message),
  };
  return { io, recorded };
}
