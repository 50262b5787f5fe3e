const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Runs `cleanup` when the process receives SIGINT or SIGTERM, then lets the signal take its usual
 * effect (unless someone else also listens). Returns the function that unregisters the handlers.
 */
export function cleanupOnTermination(cleanup: () => Promise<void>): () => void {
  const handlers = new Map<NodeJS.Signals, () => void>();
  const unregister = () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    handlers.clear();
  };
  for (const signal of SIGNALS) {
    const handler = () => {
      unregister();
      cleanup().finally(() => {
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return unregister;
}

/** Wraps an async action so that it runs once however many times it is called. */
export function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= action();
    return running;
  };
}
