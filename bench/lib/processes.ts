import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";

/** The generator or client side of every comparison runs on this core, the target on the other. */
export const CLIENT_CORE = 0;
export const SERVER_CORE = 1;

const TASKSET = "/usr/bin/taskset";

/** Prefixes a command with taskset when the machine has it and more than one core, so peers share no core. */
export function pinned(core: number, command: string, args: readonly string[]): [string, string[]] {
  if (!existsSync(TASKSET)) return [command, [...args]];
  return [TASKSET, ["-c", String(core), command, ...args]];
}

/** Runs a command to its end, pinned to `core`, and returns its stdout; a non-zero exit throws with stderr. */
export function runPinned(
  core: number,
  command: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<string> {
  const [file, fileArgs] = pinned(core, command, args);
  return new Promise((resolve, reject) => {
    execFile(
      file,
      fileArgs,
      { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, killSignal: "SIGKILL" },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${stderr.slice(-2000)}`));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

/** A long-running child that prints one JSON line when ready and may print more before it exits. */
export interface ChildService<Ready> {
  ready: Ready;
  /** Stops the child with SIGTERM and returns the JSON lines it printed after the first. */
  stop(): Promise<unknown[]>;
}

/** Starts a node script pinned to `core` and waits for its first JSON line on stdout. */
export async function startService<Ready>(
  core: number,
  script: string,
  args: readonly string[],
  readyTimeoutMs = 120_000,
): Promise<ChildService<Ready>> {
  const [file, fileArgs] = pinned(core, process.execPath, [script, ...args]);
  const child = spawn(file, fileArgs, { stdio: ["ignore", "pipe", "inherit"] });
  const lines: unknown[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const first = new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} ${args.join(" ")} printed nothing within ${readyTimeoutMs} ms`));
    }, readyTimeoutMs);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      lines.push(JSON.parse(line));
      if (lines.length === 1) {
        clearTimeout(timer);
        resolve(lines[0] as Ready);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} ${args.join(" ")} exited with code ${code} before it was ready`));
    });
  });
  const ready = await first;
  return { ready, stop: () => stopChild(child, exited).then(() => lines.slice(1)) };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(killer);
}
