// The simulated kubelet: runs every container of a bound pod as a local process bound to the
// pod's loopback IP, probes readiness over real HTTP/TCP, restarts per restartPolicy with a
// short growing back-off, keeps logs per container instance and reports status back.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { KubeObject } from "./object.ts";

/** How an image that is not `node:*` runs locally. */
export type FakeImage =
  /** Runs `entrypoint` (the container's `command` replaces it) followed by `args` (replaced by the container's `args`). */
  | { type: "command"; entrypoint: string[]; args?: string[] }
  /** Prints `logs` and exits with `exitCode` as soon as it starts. */
  | { type: "crash"; exitCode: number; logs?: string[] }
  /** The registry has no such image: pulls fail with ErrImagePull. */
  | { type: "missing" };

export interface KubeletHost {
  images: Record<string, FakeImage>;
  pullFailures: Array<string | RegExp>;
  /** Milliseconds that stand for one second of probe periods, delays and grace periods. */
  msPerSecond: number;
  writeStatus(pod: KubeObject, status: Record<string, unknown>): void;
  event(pod: KubeObject, type: "Normal" | "Warning", reason: string, message: string): void;
  configMap(namespace: string, name: string): KubeObject | undefined;
  serviceEnv(namespace: string): Record<string, string>;
}

type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | {
      terminated: {
        exitCode: number;
        signal?: number;
        reason: string;
        message?: string;
        startedAt: string;
        finishedAt: string;
        containerID: string;
      };
    };

const LOG_LIMIT_BYTES = 8 * 1024 * 1024;

class LogBuffer {
  readonly chunks: Buffer[] = [];
  #bytes = 0;
  readonly followers = new Set<{ data(chunk: Buffer): void; end(): void }>();
  ended = false;

  append(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.#bytes += chunk.length;
    while (this.#bytes > LOG_LIMIT_BYTES && this.chunks.length > 1)
      this.#bytes -= this.chunks.shift()!.length;
    for (const follower of this.followers) follower.data(chunk);
  }

  end(): void {
    this.ended = true;
    for (const follower of this.followers) follower.end();
    this.followers.clear();
  }
}

class ContainerRun {
  readonly spec: IContainer;
  restartCount = 0;
  state: ContainerState = { waiting: { reason: "ContainerCreating" } };
  lastState: ContainerState | undefined;
  ready = false;
  started = false;
  logs: LogBuffer | undefined;
  previousLogs: LogBuffer | undefined;
  child: ChildProcess | undefined;
  exited: Promise<void> = Promise.resolve();
  timers = new Set<NodeJS.Timeout>();
  probeSuccesses = 0;
  probeFailures = 0;
  instance = 0;

  constructor(spec: IContainer) {
    this.spec = spec;
  }

  clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

class PodRun {
  readonly pod: KubeObject;
  readonly podIP: string;
  readonly containers: ContainerRun[];
  readonly startTime = now();
  dir: string | undefined;
  terminating = false;
  /** True once containers were started (volumes and env resolved). */
  launched = false;
  retry: NodeJS.Timeout | undefined;

  constructor(pod: KubeObject, podIP: string) {
    this.pod = pod;
    this.podIP = podIP;
    this.containers = ((pod.spec as IPodSpec).containers ?? []).map((spec) => new ContainerRun(spec));
  }
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

function matchesPattern(image: string, pattern: string | RegExp): boolean {
  return typeof pattern === "string" ? image.includes(pattern) : pattern.test(image);
}

class ConfigError extends Error {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.reason = reason;
  }
}

export class Kubelet {
  readonly #host: KubeletHost;
  readonly #runs = new Map<string, PodRun>();
  readonly #allocateIp: () => string;
  readonly #releaseIp: (ip: string) => void;

  constructor(host: KubeletHost, ips: { allocate(): string; release(ip: string): void }) {
    this.#host = host;
    this.#allocateIp = () => ips.allocate();
    this.#releaseIp = (ip) => ips.release(ip);
  }

  /** Starts a bound pod that is not running yet; does nothing for pods already known. */
  sync(pod: KubeObject): void {
    const uid = pod.metadata.uid ?? "";
    if (this.#runs.has(uid) || pod.metadata.deletionTimestamp) return;
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (phase === "Succeeded" || phase === "Failed") return;
    const run = new PodRun(pod, this.#allocateIp());
    this.#runs.set(uid, run);
    this.#report(run);
    this.#launch(run);
  }

  /** Stops every container: SIGTERM, then SIGKILL once the grace period is over. */
  async terminate(uid: string, graceMs: number): Promise<void> {
    const run = this.#runs.get(uid);
    if (!run) return;
    run.terminating = true;
    clearTimeout(run.retry);
    for (const container of run.containers) {
      container.clearTimers();
      if (container.child && container.child.exitCode === null && container.child.signalCode === null) {
        this.#host.event(run.pod, "Normal", "Killing", `Stopping container ${container.spec.name}`);
        signal(container.child, "SIGTERM");
        const child = container.child;
        const kill = setTimeout(() => signal(child, "SIGKILL"), graceMs);
        container.exited.finally(() => clearTimeout(kill));
      }
    }
    await Promise.all(run.containers.map((container) => container.exited));
    this.#forget(uid);
  }

  /** Kills every process at once (the fake is shutting down). */
  async killAll(): Promise<void> {
    const runs = [...this.#runs.values()];
    for (const run of runs) {
      run.terminating = true;
      clearTimeout(run.retry);
      for (const container of run.containers) {
        container.clearTimers();
        if (container.child) signal(container.child, "SIGKILL");
      }
    }
    await Promise.all(runs.flatMap((run) => run.containers.map((container) => container.exited)));
    for (const run of runs) this.#forget(run.pod.metadata.uid ?? "");
  }

  has(uid: string): boolean {
    return this.#runs.has(uid);
  }

  podIP(uid: string): string | undefined {
    return this.#runs.get(uid)?.podIP;
  }

  isReady(uid: string): boolean {
    const run = this.#runs.get(uid);
    return !!run && !run.terminating && run.containers.every((container) => container.ready);
  }

  /** The log of one container instance, or a reason why there is none (as the API words it). */
  logs(pod: KubeObject, containerName: string, previous: boolean): LogBuffer | string {
    const run = this.#runs.get(pod.metadata.uid ?? "");
    const name = pod.metadata.name;
    const container = run?.containers.find((c) => c.spec.name === containerName);
    if (!run || !container) {
      return `container "${containerName}" in pod "${name}" is waiting to start: ContainerCreating`;
    }
    if (previous) {
      return (
        container.previousLogs ??
        `previous terminated container "${containerName}" in pod "${name}" not found`
      );
    }
    if (!container.logs) {
      const waiting = "waiting" in container.state ? container.state.waiting.reason : "ContainerCreating";
      const trying =
        waiting === "ErrImagePull" || waiting === "ImagePullBackOff"
          ? "trying and failing to pull image"
          : waiting;
      return `container "${containerName}" in pod "${name}" is waiting to start: ${trying}`;
    }
    return container.logs;
  }

  #forget(uid: string): void {
    const run = this.#runs.get(uid);
    if (!run) return;
    this.#runs.delete(uid);
    this.#releaseIp(run.podIP);
    if (run.dir) rmSync(run.dir, { recursive: true, force: true });
  }

  #launch(run: PodRun): void {
    if (run.terminating) return;
    const spec = run.pod.spec as IPodSpec;
    let mounts: Map<string, string>;
    try {
      mounts = this.#materialiseVolumes(run, spec);
    } catch (error) {
      if (error instanceof ConfigError) {
        this.#host.event(run.pod, "Warning", error.reason, error.message);
        run.retry = setTimeout(() => this.#launch(run), 5 * this.#host.msPerSecond);
        return;
      }
      throw error;
    }
    run.launched = true;
    for (const container of run.containers) this.#startContainer(run, container, mounts);
  }

  #materialiseVolumes(run: PodRun, spec: IPodSpec): Map<string, string> {
    const dirs = new Map<string, string>();
    for (const volume of spec.volumes ?? []) {
      run.dir ??= mkdtempSync(join(tmpdir(), `fake-kube-${run.pod.metadata.name}-`));
      const dir = join(run.dir, "volumes", volume.name);
      if (volume.configMap) {
        const configMap = this.#host.configMap(
          run.pod.metadata.namespace ?? "default",
          volume.configMap.name ?? "",
        );
        if (!configMap) {
          if (volume.configMap.optional) {
            mkdirSync(dir, { recursive: true });
            dirs.set(volume.name, dir);
            continue;
          }
          throw new ConfigError(
            "FailedMount",
            `MountVolume.SetUp failed for volume "${volume.name}" : configmap "${volume.configMap.name}" not found`,
          );
        }
        const files = new Map<string, Buffer>();
        for (const [key, value] of Object.entries((configMap.data ?? {}) as Record<string, string>))
          files.set(key, Buffer.from(value, "utf8"));
        for (const [key, value] of Object.entries((configMap.binaryData ?? {}) as Record<string, string>))
          files.set(key, Buffer.from(value, "base64"));
        const items = volume.configMap.items;
        const layout = items
          ? items.map((item) => [item.key, item.path] as const)
          : [...files.keys()].map((key) => [key, key] as const);
        mkdirSync(dir, { recursive: true });
        for (const [key, path] of layout) {
          const content = files.get(key);
          if (!content) continue;
          mkdirSync(dirname(join(dir, path)), { recursive: true });
          writeFileSync(join(dir, path), content);
        }
      } else if (volume.emptyDir) {
        mkdirSync(dir, { recursive: true });
      } else {
        throw new ConfigError(
          "FailedMount",
          `volume "${volume.name}": only configMap and emptyDir volumes are supported by this cluster`,
        );
      }
      dirs.set(volume.name, dir);
    }
    return dirs;
  }

  #startContainer(run: PodRun, container: ContainerRun, volumeDirs: Map<string, string>): void {
    if (run.terminating) return;
    const image = container.spec.image ?? "";
    const known = this.#host.images[image];
    const pullFails =
      this.#host.pullFailures.some((pattern) => matchesPattern(image, pattern)) ||
      (!image.startsWith("node:") && (!known || known.type === "missing"));
    if (pullFails) {
      const message = `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found`;
      container.state = { waiting: { reason: "ErrImagePull", message } };
      this.#host.event(run.pod, "Warning", "Failed", message);
      this.#host.event(run.pod, "Warning", "Failed", "Error: ErrImagePull");
      this.#report(run);
      const timer = setTimeout(() => {
        container.timers.delete(timer);
        container.state = {
          waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}"` },
        };
        this.#host.event(run.pod, "Normal", "BackOff", `Back-off pulling image "${image}"`);
        this.#report(run);
      }, this.#host.msPerSecond);
      container.timers.add(timer);
      return;
    }
    let launch: { argv: string[]; env: Record<string, string>; cwd: string | undefined };
    try {
      launch = this.#launchSpec(run, container.spec, known, volumeDirs);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      container.state = { waiting: { reason: error.reason, message: error.message } };
      this.#host.event(run.pod, "Warning", "Failed", `Error: ${error.message}`);
      this.#report(run);
      run.retry = setTimeout(
        () => this.#startContainer(run, container, volumeDirs),
        5 * this.#host.msPerSecond,
      );
      return;
    }
    if (container.instance === 0) {
      this.#host.event(run.pod, "Normal", "Pulled", `Container image "${image}" already present on machine`);
    }
    container.instance++;
    if (container.logs) container.previousLogs = container.logs;
    const logs = new LogBuffer();
    container.logs = logs;
    const startedAt = now();
    const [file, ...args] = launch.argv;
    const child = spawn(file!, args, {
      cwd: launch.cwd,
      env: launch.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    container.child = child;
    container.state = { running: { startedAt } };
    container.started = true;
    container.probeSuccesses = 0;
    container.probeFailures = 0;
    this.#host.event(run.pod, "Normal", "Created", `Created container: ${container.spec.name}`);
    this.#host.event(run.pod, "Normal", "Started", `Started container ${container.spec.name}`);
    child.stdout?.on("data", (chunk: Buffer) => logs.append(chunk));
    child.stderr?.on("data", (chunk: Buffer) => logs.append(chunk));
    let spawnError: Error | undefined;
    child.on("error", (error) => {
      spawnError = error;
    });
    container.exited = new Promise((resolve) => {
      child.on("close", (code, signalName) => {
        logs.end();
        container.clearTimers();
        container.ready = false;
        const exitCode = spawnError ? 128 : (code ?? 128 + signalNumber(signalName));
        container.state = {
          terminated: {
            exitCode,
            ...(signalName ? { signal: signalNumber(signalName) } : {}),
            reason: spawnError ? "StartError" : exitCode === 0 ? "Completed" : "Error",
            ...(spawnError ? { message: spawnError.message } : {}),
            startedAt,
            finishedAt: now(),
            containerID: `fake://${child.pid ?? 0}`,
          },
        };
        container.child = undefined;
        resolve();
        this.#afterExit(run, container, volumeDirs, exitCode);
      });
    });
    this.#report(run);
    this.#startProbes(run, container);
  }

  #afterExit(run: PodRun, container: ContainerRun, volumeDirs: Map<string, string>, exitCode: number): void {
    if (run.terminating) return;
    const policy = (run.pod.spec as IPodSpec).restartPolicy ?? "Always";
    const restart = policy === "Always" || (policy === "OnFailure" && exitCode !== 0);
    if (!restart) {
      this.#report(run);
      return;
    }
    const backoffMs = Math.min(10 * this.#host.msPerSecond * 2 ** container.restartCount, 1000);
    container.lastState = container.state;
    container.restartCount++;
    container.state = {
      waiting: {
        reason: "CrashLoopBackOff",
        message: `back-off ${backoffMs}ms restarting failed container=${container.spec.name} pod=${run.pod.metadata.name}_${run.pod.metadata.namespace}(${run.pod.metadata.uid})`,
      },
    };
    this.#host.event(run.pod, "Warning", "BackOff", "Back-off restarting failed container");
    this.#report(run);
    const timer = setTimeout(() => {
      container.timers.delete(timer);
      this.#startContainer(run, container, volumeDirs);
    }, backoffMs);
    container.timers.add(timer);
  }

  #launchSpec(
    run: PodRun,
    spec: IContainer,
    image: FakeImage | undefined,
    volumeDirs: Map<string, string>,
  ): { argv: string[]; env: Record<string, string>; cwd: string | undefined } {
    const mounts = (spec.volumeMounts ?? [])
      .map((mount) => {
        const dir = volumeDirs.get(mount.name);
        if (!dir)
          throw new ConfigError(
            "CreateContainerConfigError",
            `volumeMount "${mount.name}" refers to no volume of the pod`,
          );
        return {
          mountPath: mount.mountPath.replace(/\/+$/, ""),
          dir: mount.subPath ? join(dir, mount.subPath) : dir,
        };
      })
      .sort((a, b) => b.mountPath.length - a.mountPath.length);
    const rewrite = (text: string): string => {
      let result = text;
      for (const mount of mounts) {
        const escaped = mount.mountPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        result = result.replace(
          new RegExp(`(^|[=:\\s])${escaped}(?=$|/|[\\s:])`, "g"),
          (_, lead: string) => `${lead}${mount.dir}`,
        );
      }
      return result;
    };
    const env = this.#environment(run, spec);
    const expand = (text: string): string =>
      text.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole);
    let argv: string[];
    if (image?.type === "crash") {
      const script = `for (const line of ${JSON.stringify(image.logs ?? [])}) console.log(line); process.exit(${image.exitCode});`;
      argv = ["node", "-e", script];
    } else {
      const entrypoint = spec.command ?? (image?.type === "command" ? image.entrypoint : ["node"]);
      const args = spec.args ?? (spec.command ? [] : image?.type === "command" ? (image.args ?? []) : []);
      argv = [...entrypoint, ...args];
    }
    if (argv.length === 0) throw new ConfigError("CreateContainerError", "no command specified");
    argv = argv.map((part) => rewrite(expand(part)));
    if (argv[0] === "node") argv[0] = process.execPath;
    for (const [name, value] of Object.entries(env)) env[name] = rewrite(value);
    const cwd = spec.workingDir ? rewrite(spec.workingDir) : run.dir;
    return { argv, env, cwd };
  }

  #environment(run: PodRun, spec: IContainer): Record<string, string> {
    const pod = run.pod;
    const namespace = pod.metadata.namespace ?? "default";
    const env: Record<string, string> = {
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      HOSTNAME: pod.metadata.name ?? "",
      HOME: tmpdir(),
      ...this.#host.serviceEnv(namespace),
    };
    const configMapValue = (name: string, key: string, optional: boolean | undefined): string | undefined => {
      const configMap = this.#host.configMap(namespace, name);
      if (!configMap) {
        if (optional) return undefined;
        throw new ConfigError("CreateContainerConfigError", `configmap "${name}" not found`);
      }
      const value = ((configMap.data ?? {}) as Record<string, string>)[key];
      if (value === undefined && !optional) {
        throw new ConfigError(
          "CreateContainerConfigError",
          `couldn't find key ${key} in ConfigMap ${namespace}/${name}`,
        );
      }
      return value;
    };
    for (const source of spec.envFrom ?? []) {
      if (!source.configMapRef) continue;
      const configMap = this.#host.configMap(namespace, source.configMapRef.name ?? "");
      if (!configMap) {
        if (source.configMapRef.optional) continue;
        throw new ConfigError(
          "CreateContainerConfigError",
          `configmap "${source.configMapRef.name}" not found`,
        );
      }
      for (const [key, value] of Object.entries((configMap.data ?? {}) as Record<string, string>))
        env[`${source.prefix ?? ""}${key}`] = value;
    }
    const fields: Record<string, string> = {
      "status.podIP": run.podIP,
      "status.podIPs": run.podIP,
      "status.hostIP": "127.0.0.1",
      "metadata.name": pod.metadata.name ?? "",
      "metadata.namespace": namespace,
      "metadata.uid": pod.metadata.uid ?? "",
      "spec.nodeName": (pod.spec as IPodSpec).nodeName ?? "",
      "spec.serviceAccountName": (pod.spec as IPodSpec).serviceAccountName ?? "default",
    };
    for (const variable of spec.env ?? []) {
      if (variable.value !== undefined) {
        env[variable.name] = variable.value.replace(
          /\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
          (whole, name: string) => env[name] ?? whole,
        );
        continue;
      }
      const from = variable.valueFrom;
      if (from?.fieldRef) {
        const path = from.fieldRef.fieldPath;
        const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
        const value = label ? pod.metadata[label[1] as "labels" | "annotations"]?.[label[2]!] : fields[path];
        if (value === undefined && !label) {
          throw new ConfigError(
            "CreateContainerConfigError",
            `unsupported fieldRef fieldPath ${JSON.stringify(path)}: supported are ${Object.keys(fields).join(", ")}, metadata.labels['key'], metadata.annotations['key']`,
          );
        }
        env[variable.name] = value ?? "";
      } else if (from?.configMapKeyRef) {
        const value = configMapValue(
          from.configMapKeyRef.name ?? "",
          from.configMapKeyRef.key,
          from.configMapKeyRef.optional,
        );
        if (value !== undefined) env[variable.name] = value;
      } else if (from) {
        throw new ConfigError(
          "CreateContainerConfigError",
          `env ${variable.name}: only fieldRef and configMapKeyRef sources are supported by this cluster`,
        );
      } else {
        env[variable.name] = "";
      }
    }
    return env;
  }

  #startProbes(run: PodRun, container: ContainerRun): void {
    const probe = container.spec.readinessProbe;
    if (!probe) {
      container.ready = true;
      this.#report(run);
      return;
    }
    const scale = this.#host.msPerSecond;
    const child = container.child;
    const tick = (): void => {
      if (run.terminating || container.child !== child) return;
      void this.#probeOnce(run, container, probe).then((result) => {
        if (run.terminating || container.child !== child) return;
        const before = container.ready;
        if (result === true) {
          container.probeFailures = 0;
          container.probeSuccesses++;
          if (container.probeSuccesses >= (probe.successThreshold ?? 1)) container.ready = true;
        } else {
          container.probeSuccesses = 0;
          container.probeFailures++;
          this.#host.event(run.pod, "Warning", "Unhealthy", `Readiness probe failed: ${result}`);
          if (container.probeFailures >= (probe.failureThreshold ?? 3)) container.ready = false;
        }
        if (before !== container.ready) this.#report(run);
        const timer = setTimeout(
          () => {
            container.timers.delete(timer);
            tick();
          },
          (probe.periodSeconds ?? 10) * scale,
        );
        container.timers.add(timer);
      });
    };
    const first = setTimeout(
      () => {
        container.timers.delete(first);
        tick();
      },
      (probe.initialDelaySeconds ?? 0) * scale,
    );
    container.timers.add(first);
  }

  async #probeOnce(run: PodRun, container: ContainerRun, probe: IProbe): Promise<true | string> {
    const timeoutMs = Math.min((probe.timeoutSeconds ?? 1) * 1000, 2000);
    const port = resolvePort(container.spec, probe.httpGet?.port ?? probe.tcpSocket?.port);
    if (probe.httpGet) {
      const path = probe.httpGet.path ?? "/";
      return new Promise((resolve) => {
        const req = request({ host: run.podIP, port, path, method: "GET", timeout: timeoutMs }, (res) => {
          res.resume();
          const status = res.statusCode ?? 0;
          resolve(status >= 200 && status < 400 ? true : `HTTP probe failed with statuscode: ${status}`);
        });
        req.on("timeout", () =>
          req.destroy(
            new Error("context deadline exceeded (Client.Timeout exceeded while awaiting headers)"),
          ),
        );
        req.on("error", (error) => resolve(`Get "http://${run.podIP}:${port}${path}": ${error.message}`));
        req.end();
      });
    }
    if (probe.tcpSocket) {
      return new Promise((resolve) => {
        const socket = connect({ host: run.podIP, port, timeout: timeoutMs });
        socket.on("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.on("timeout", () => socket.destroy(new Error("i/o timeout")));
        socket.on("error", (error) => resolve(`dial tcp ${run.podIP}:${port}: ${error.message}`));
      });
    }
    return "only httpGet and tcpSocket readiness probes are supported by this cluster";
  }

  #report(run: PodRun): void {
    if (!this.#runs.has(run.pod.metadata.uid ?? "")) return;
    const policy = (run.pod.spec as IPodSpec).restartPolicy ?? "Always";
    const terminated = run.containers.map((c) => ("terminated" in c.state ? c.state.terminated : undefined));
    const allDone = run.launched && terminated.every((t) => t !== undefined);
    let phase = "Pending";
    if (allDone && policy !== "Always") {
      phase = terminated.every((t) => t?.exitCode === 0) ? "Succeeded" : "Failed";
    } else if (run.containers.some((c) => c.started)) {
      phase = "Running";
    }
    const ready = run.containers.every((c) => c.ready);
    const transition = now();
    const condition = (type: string, status: boolean, reason?: string) => ({
      type,
      status: status ? "True" : "False",
      lastProbeTime: null,
      lastTransitionTime: transition,
      ...(reason && !status ? { reason } : {}),
    });
    const done = phase === "Succeeded" || phase === "Failed";
    const status = {
      phase,
      conditions: [
        condition("PodReadyToStartContainers", run.launched),
        condition("Initialized", true),
        condition("Ready", ready && !done, done ? "PodCompleted" : "ContainersNotReady"),
        condition("ContainersReady", ready && !done, done ? "PodCompleted" : "ContainersNotReady"),
        condition("PodScheduled", true),
      ],
      hostIP: "127.0.0.1",
      hostIPs: [{ ip: "127.0.0.1" }],
      podIP: run.podIP,
      podIPs: [{ ip: run.podIP }],
      startTime: run.startTime,
      qosClass: qosClass(run.pod.spec as IPodSpec),
      containerStatuses: run.containers.map((c) => ({
        name: c.spec.name,
        image: c.spec.image,
        imageID: `${c.spec.image}@sha256:fake`,
        ready: c.ready,
        started: "running" in c.state,
        restartCount: c.restartCount,
        state: c.state,
        lastState: c.lastState ?? {},
        ...("running" in c.state || "terminated" in c.state
          ? { containerID: `fake://${run.pod.metadata.uid}/${c.spec.name}/${c.instance}` }
          : {}),
      })),
    };
    this.#host.writeStatus(run.pod, status);
  }
}

function resolvePort(container: IContainer, port: number | string | undefined): number {
  if (typeof port === "number") return port;
  const named = container.ports?.find((candidate) => candidate.name === port);
  if (named) return named.containerPort;
  const numeric = Number(port);
  return Number.isInteger(numeric) ? numeric : 0;
}

function qosClass(spec: IPodSpec): string {
  const resources = spec.containers.map((c) => c.resources ?? {});
  if (resources.every((r) => !r.requests && !r.limits)) return "BestEffort";
  const guaranteed = resources.every(
    (r) =>
      r.limits?.cpu !== undefined &&
      r.limits?.memory !== undefined &&
      (r.requests?.cpu ?? r.limits.cpu) === r.limits.cpu &&
      (r.requests?.memory ?? r.limits.memory) === r.limits.memory,
  );
  return guaranteed ? "Guaranteed" : "Burstable";
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15 };

function signalNumber(name: NodeJS.Signals | null): number {
  return name ? (SIGNALS[name] ?? 15) : 0;
}

/** Signals the container's whole process group, so shells and their children stop too. */
function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, name);
  } catch {
    child.kill(name);
  }
}
