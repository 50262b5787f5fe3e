import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pinned, SERVER_CORE } from "./processes.ts";

export interface NginxTarget {
  url: string;
  stop(): Promise<void>;
}

const CONFIG = new URL("../nginx.conf", import.meta.url);

/** A free loopback port, chosen by the system. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs nginx in the foreground on the server core with its own prefix, pid and logs in a temporary
 * directory, serving the static answer of bench/nginx.conf on a free loopback port.
 */
export async function startNginx(binary: string): Promise<NginxTarget> {
  const prefix = mkdtempSync(join(tmpdir(), "etude-bench-nginx-"));
  const port = await freePort();
  const config = readFileSync(CONFIG, "utf8")
    .replaceAll("{{PREFIX}}", prefix)
    .replaceAll("{{PORT}}", String(port));
  const configPath = join(prefix, "nginx.conf");
  writeFileSync(configPath, config);
  const [file, args] = pinned(SERVER_CORE, binary, [
    "-p",
    prefix,
    "-c",
    configPath,
    "-e",
    join(prefix, "error.log"),
  ]);
  const child = spawn(file, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(url, child);
  } catch (error) {
    child.kill("SIGKILL");
    rmSync(prefix, { recursive: true, force: true });
    throw new Error(`nginx did not start: ${(error as Error).message}\n${stderr}`);
  }
  return {
    url,
    stop: async () => {
      // SIGQUIT: graceful shutdown of the master and its worker.
      if (child.exitCode === null) child.kill("SIGQUIT");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killer);
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

async function waitUntilAnswering(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/predictions/model/1.0/`, { method: "POST", body: "{}" });
      if (response.ok) {
        await response.text();
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("not answering on loopback after 10 s");
}
