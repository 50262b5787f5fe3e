import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { InfrastructureError } from "./errors.ts";

const KEPT_OUTPUT_LINES = 20;
const STOP_GRACE_MS = 5000;

export interface ProcessOptions {
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** Run `command` through the shell (a one-line `run:` in the spec). */
  shell?: boolean;
  log?: (line: string) => void;
}

/** A child process in its own process group, whose last output lines are kept for error messages. */
export class ManagedProcess {
  readonly #child: ChildProcess;
  readonly #lastLines: string[] = [];
  readonly #lineListeners = new Set<(line: string) => void>();
  #exit: { code: number | null; signal: string | null } | undefined;
  readonly #exited: Promise<void>;
  readonly description: string;

  constructor(options: ProcessOptions) {
    this.description = [options.command, ...options.args].join(" ");
    this.#child = spawn(options.command, options.args, {
      env: { ...process.env, ...options.env },
      shell: options.shell ?? false,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#exited = new Promise((resolve) => {
      this.#child.once("error", (error) => {
        this.#remember(`failed to start: ${error.message}`);
        this.#exit ??= { code: null, signal: null };
        resolve();
      });
      this.#child.once("exit", (code, signal) => {
        this.#exit = { code, signal };
        resolve();
      });
    });
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on("line", (line) => {
        this.#remember(line);
        options.log?.(line);
        for (const listener of this.#lineListeners) listener(line);
      });
    }
  }

  #remember(line: string): void {
    this.#lastLines.push(line);
    if (this.#lastLines.length > KEPT_OUTPUT_LINES) this.#lastLines.shift();
  }

  /** Throws when the process has already ended, quoting its last output. */
  assertRunning(): void {
    if (this.#exit === undefined) return;
    const how = this.#exit.signal
      ? `was killed by ${this.#exit.signal}`
      : `exited with code ${this.#exit.code}`;
    const tail = this.#lastLines.length > 0 ? `; its last output:\n  ${this.#lastLines.join("\n  ")}` : "";
    throw new InfrastructureError(`the target process \`${this.description}\` ${how}${tail}`);
  }

  /** Resolves with the first capture of `pattern` in the process's output. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        finish();
        reject(
          new InfrastructureError(
            `the target process printed no line matching ${pattern} in ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const onLine = (line: string) => {
        const match = pattern.exec(line);
        if (!match) return;
        finish();
        resolve(match[1] ?? match[0]);
      };
      const finish = () => {
        clearTimeout(timer);
        this.#lineListeners.delete(onLine);
      };
      this.#lineListeners.add(onLine);
      this.#exited.then(() => {
        if (!this.#lineListeners.has(onLine)) return;
        finish();
        try {
          this.assertRunning();
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /** SIGTERM to the whole group, SIGKILL after a grace period; resolves when the process is gone. */
  async stop(): Promise<void> {
    if (this.#exit !== undefined || this.#child.pid === undefined) return;
    this.#signalGroup("SIGTERM");
    const killer = setTimeout(() => this.#signalGroup("SIGKILL"), STOP_GRACE_MS);
    await this.#exited;
    clearTimeout(killer);
  }

  #signalGroup(signal: NodeJS.Signals): void {
    const pid = this.#child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  }
}
