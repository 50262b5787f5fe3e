// Service clusterIP:port listeners that forward each TCP connection to one ready endpoint,
// round-robin, as kube-proxy does.
import { connect, createServer, type Server } from "node:net";

export interface Endpoint {
  ip: string;
  port: number;
}

export class ServiceProxy {
  readonly #servers = new Map<string, Server[]>();
  readonly #cursor = new Map<string, number>();
  readonly #sockets = new Set<import("node:net").Socket>();

  /** Listens on clusterIP for each port; `endpoints` is asked afresh for every connection. */
  async open(
    uid: string,
    clusterIP: string,
    ports: number[],
    endpoints: (port: number) => Endpoint[],
  ): Promise<void> {
    const servers: Server[] = [];
    this.#servers.set(uid, servers);
    for (const port of ports) {
      const key = `${uid}/${port}`;
      const server = createServer({ noDelay: true }, (client) => {
        this.#sockets.add(client);
        client.on("close", () => this.#sockets.delete(client));
        const targets = endpoints(port);
        if (targets.length === 0) {
          client.resetAndDestroy();
          return;
        }
        const index = (this.#cursor.get(key) ?? 0) % targets.length;
        this.#cursor.set(key, index + 1);
        const target = targets[index]!;
        const upstream = connect({ host: target.ip, port: target.port, noDelay: true });
        this.#sockets.add(upstream);
        upstream.on("close", () => this.#sockets.delete(upstream));
        client.pipe(upstream).pipe(client);
        upstream.on("error", () => client.destroy());
        client.on("error", () => upstream.destroy());
      });
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, clusterIP, () => {
          server.off("error", reject);
          resolve();
        });
      });
    }
  }

  async close(uid: string): Promise<void> {
    const servers = this.#servers.get(uid) ?? [];
    this.#servers.delete(uid);
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  async closeAll(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await Promise.all([...this.#servers.keys()].map((uid) => this.close(uid)));
  }
}
