import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

/** The tools the benchmarks compare etude with; a missing one is reported and its columns skipped. */
export interface Peers {
  nginx: string | null;
  wrk: string | null;
  hey: string | null;
  /** The autocannon script, run with this Node so that both Node clients use the same runtime. */
  autocannon: string | null;
  taskset: boolean;
  notes: string[];
}

const APT_PACKAGES = { nginx: "/usr/sbin/nginx", wrk: "/usr/bin/wrk", hey: "/usr/bin/hey" } as const;
type AptPeer = keyof typeof APT_PACKAGES;

/** Stdout and stderr of a command that succeeded (nginx -v writes to stderr), or null. */
function quiet(command: string, args: string[]): string | null {
  const result = spawnSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return result.status === 0 ? `${result.stdout}${result.stderr}` : null;
}

/** The Debian package's candidate version, or null when no configured source offers it. */
function aptCandidate(name: string): string | null {
  const policy = quiet("apt-cache", ["policy", name]);
  const candidate = policy?.match(/Candidate:\s*(\S+)/)?.[1];
  return candidate === undefined || candidate === "(none)" ? null : candidate;
}

/**
 * Finds nginx, wrk, hey and autocannon; as root, installs the Debian packages that are missing but
 * available. Never fails: what stays missing is listed in `notes`.
 */
export function detectPeers(): Peers {
  const notes: string[] = [];
  const missing = (Object.keys(APT_PACKAGES) as AptPeer[]).filter((peer) => !existsSync(APT_PACKAGES[peer]));
  if (missing.length > 0) {
    const isRoot = process.getuid?.() === 0;
    if (isRoot && quiet("apt-get", ["update"]) !== null) {
      const available = missing.filter((peer) => aptCandidate(peer) !== null);
      for (const peer of missing.filter((p) => !available.includes(p))) {
        notes.push(`${peer}: no Debian package candidate (apt-cache policy ${peer}); skipped`);
      }
      if (available.length > 0) {
        const installed = quiet("apt-get", ["install", "-y", "--no-install-recommends", ...available]);
        if (installed === null) notes.push(`apt-get install ${available.join(" ")} failed`);
      }
    } else {
      notes.push(
        `${missing.join(", ")} missing; install as root with: apt-get update && apt-get install -y ${missing.join(" ")}`,
      );
    }
  }
  const found = (peer: AptPeer): string | null => {
    const path = APT_PACKAGES[peer];
    if (existsSync(path)) return path;
    if (!notes.some((note) => note.startsWith(peer))) notes.push(`${peer}: not installed; skipped`);
    return null;
  };
  let autocannon: string | null = null;
  try {
    autocannon = createRequire(import.meta.url).resolve("autocannon/autocannon.js");
  } catch {
    notes.push("autocannon: not installed (npm i -D autocannon); skipped");
  }
  const taskset = existsSync("/usr/bin/taskset");
  if (!taskset) notes.push("taskset: missing (util-linux); processes are not pinned to cores");
  return { nginx: found("nginx"), wrk: found("wrk"), hey: found("hey"), autocannon, taskset, notes };
}

export function peerVersions(peers: Peers): Record<string, string> {
  const versions: Record<string, string> = {};
  if (peers.nginx) versions.nginx = (quiet(peers.nginx, ["-v"]) ?? "").trim();
  if (peers.wrk) versions.wrk = aptVersion("wrk");
  if (peers.hey) versions.hey = aptVersion("hey");
  if (peers.autocannon) {
    const pkg = createRequire(import.meta.url)("autocannon/package.json") as { version: string };
    versions.autocannon = pkg.version;
  }
  return versions;
}

function aptVersion(name: string): string {
  return quiet("dpkg-query", ["-W", `-f=\${Version}`, name]) ?? "unknown";
}
