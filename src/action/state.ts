/** What the main step hands to the post step, through the runner's saved state. */
import * as core from "@actions/core";
import { State } from "./constants.ts";

export interface RunState {
  /** Names the run's cluster resources; the post step deletes them. */
  runId: string;
  /** The spec, resolved against the working directory: it says how to reach the cluster. */
  specPath: string;
}

export function saveRunState(state: RunState): void {
  core.saveState(State.runId, state.runId);
  core.saveState(State.specPath, state.specPath);
}

/** The state the main step saved; null when it stopped before starting a benchmark. */
export function readRunState(): RunState | null {
  const runId = core.getState(State.runId);
  const specPath = core.getState(State.specPath);
  return runId === "" || specPath === "" ? null : { runId, specPath };
}
