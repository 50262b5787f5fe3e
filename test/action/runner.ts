/** What the GitHub runner does around an action step: run it as a process, and read its command files. */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";

export interface StepRun {
  code: number | null;
  /** stdout and stderr, interleaved as they came. */
  log: string;
}

/** Runs a bundled step (`node script`) with the runner's environment; killed after `timeoutMs`. */
export function runStep(script: string, env: Record<string, string>, timeoutMs: number): Promise<StepRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    const append = (chunk: Buffer) => {
      log += chunk.toString();
    };
    child.stdout.on("data", append);
    child.stderr.on("data", append);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, log });
    });
  });
}

/** Parses the runner's `name<<delimiter` command files (GITHUB_OUTPUT, GITHUB_STATE). */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const match of text.matchAll(/^([^<\n]+)<<(.+)\n([\s\S]*?)\n\2$/gm)) values[match[1]!] = match[3]!;
  return values;
}

/** The main step, then the post step with the state the main step saved, as the runner runs them. */
export async function runMainAndPost(
  steps: { main: string; post: string },
  env: Record<string, string>,
  postStateFile: string,
  timeoutMs: number,
): Promise<{ main: StepRun; post: StepRun; state: Record<string, string> }> {
  const main = await runStep(steps.main, env, timeoutMs);
  const state = parseCommandFile(await readFile(env.GITHUB_STATE!, "utf8"));
  const stateEnv = Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]));
  const post = await runStep(steps.post, { ...env, ...stateEnv, GITHUB_STATE: postStateFile }, timeoutMs);
  return { main, post, state };
}
