import type { Session, SessionSource } from "../workload/types.ts";

/** A session under way: `clicked` of its items have been answered. */
export interface ActiveSession {
  readonly session: Session;
  clicked: number;
}

/** Sessions without a single click are skipped; this many in a row means the source is broken. */
const MAX_EMPTY_IN_A_ROW = 1000;

/**
 * The sessions being replayed. A slot goes to the session that has waited longest for its next click;
 * when none is waiting, a new session starts. A session waits only after the answer to its last click.
 */
export class SessionPool {
  readonly #source: SessionSource;
  readonly #ready: ActiveSession[] = [];
  #readyHead = 0;

  constructor(source: SessionSource) {
    this.#source = source;
  }

  /** The session to click next and its context: the session so far, this click included. */
  take(): { active: ActiveSession; context: Uint32Array } {
    const active = this.#nextReady() ?? this.#start();
    return { active, context: active.session.items.subarray(0, active.clicked + 1) };
  }

  /** Called once the click's answer (or failure) arrived: the session may click again, or it ends. */
  answered(active: ActiveSession): void {
    active.clicked++;
    if (active.clicked < active.session.items.length) this.#ready.push(active);
  }

  #nextReady(): ActiveSession | undefined {
    if (this.#readyHead >= this.#ready.length) return undefined;
    const active = this.#ready[this.#readyHead++];
    // Compact now and then so the queue does not grow with the number of clicks ever made.
    if (this.#readyHead > 1024 && this.#readyHead * 2 > this.#ready.length) {
      this.#ready.splice(0, this.#readyHead);
      this.#readyHead = 0;
    }
    return active;
  }

  #start(): ActiveSession {
    for (let attempt = 0; attempt < MAX_EMPTY_IN_A_ROW; attempt++) {
      const session = this.#source.next();
      if (session.items.length > 0) return { session, clicked: 0 };
    }
    throw new Error(`the session source produced ${MAX_EMPTY_IN_A_ROW} sessions in a row without any item`);
  }
}
