/** Names of the action's inputs, outputs and saved state, as action.yml declares them. */

export const Inputs = {
  spec: "spec",
  kubeconfig: "kubeconfig",
  githubToken: "github-token",
  baseline: "baseline",
  paths: "paths",
  comment: "comment",
  failOn: "fail-on",
  repetitions: "repetitions",
  workingDirectory: "working-directory",
} as const;

export const Outputs = {
  verdict: "verdict",
  constraintsVerdict: "constraints-verdict",
  regressionVerdict: "regression-verdict",
  p50Ms: "p50-ms",
  p90Ms: "p90-ms",
  p99Ms: "p99-ms",
  maxThroughput: "max-throughput",
  resultsPath: "results-path",
  reportPath: "report-path",
  commentUrl: "comment-url",
} as const;

/** What the main step leaves for the post step. */
export const State = {
  runId: "run-id",
  specPath: "spec-path",
} as const;

export const DEFAULT_SPEC = "etude.yml";
export const COMMENT_MODES = ["always", "on-failure", "never"] as const;
export const FAIL_ON_MODES = ["constraints", "regression", "both", "nothing"] as const;
export const LOCAL_COMMAND = "npx etude run";
