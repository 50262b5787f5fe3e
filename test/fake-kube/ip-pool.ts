// Hands out loopback addresses from a /16, starting at a random offset so that fakes running in
// parallel test processes rarely pick the same address.
export class IpPool {
  readonly #prefix: string;
  readonly #used = new Set<string>();
  #next: number;

  constructor(prefix: "127.1" | "127.2", random: () => number) {
    this.#prefix = prefix;
    this.#next = Math.floor(random() * 60000) + 256;
  }

  allocate(): string {
    for (let attempt = 0; attempt < 65536; attempt++) {
      const n = this.#next;
      this.#next = this.#next >= 65279 ? 256 : this.#next + 1;
      const low = n % 256;
      if (low === 0 || low === 255) continue;
      const ip = `${this.#prefix}.${Math.floor(n / 256)}.${low}`;
      if (!this.#used.has(ip)) {
        this.#used.add(ip);
        return ip;
      }
    }
    throw new Error(`no free address left in ${this.#prefix}.0.0/16`);
  }

  reserve(ip: string): boolean {
    if (this.#used.has(ip)) return false;
    this.#used.add(ip);
    return true;
  }

  release(ip: string): void {
    this.#used.delete(ip);
  }
}
