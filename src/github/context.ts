/** What the workflow run is about, read from GITHUB_EVENT_NAME and the event payload. */
import { readFileSync } from "node:fs";
import { z } from "zod";

export const SUPPORTED_EVENTS = [
  "pull_request",
  "pull_request_target",
  "push",
  "workflow_dispatch",
  "workflow_run",
] as const;

export type GitHubEventName = (typeof SUPPORTED_EVENTS)[number];

export interface CommitRef {
  /** Branch name without `refs/heads/`, or the full ref for anything else (tags). */
  ref: string;
  sha: string;
  /** `owner/repo` the commit lives in; null when the fork it came from has been deleted. */
  repoFullName: string | null;
}

export interface PullRequestContext {
  eventName: GitHubEventName;
  owner: string;
  repo: string;
  /** The commit to measure. */
  head: CommitRef;
  /** The commit to compare against: the pull request's base, or the commit before a push. */
  base?: CommitRef;
  /**
   * Absent on push and workflow_dispatch, and on workflow_run for a fork pull request, where
   * GitHub leaves `workflow_run.pull_requests` empty: carry the number in an artifact instead.
   */
  pullRequestNumber?: number;
  /** The head lives in another repository: the run has a read-only token and no secrets. */
  isFork: boolean;
  /** On workflow_run: the run that triggered this one. */
  triggeringRun?: { id: number; event: string; conclusion: string | null };
}

export type Env = Readonly<Record<string, string | undefined>>;

const repoSchema = z.object({ full_name: z.string() });
const branchSchema = z.object({ ref: z.string(), sha: z.string(), repo: repoSchema.nullable() });
const pullRequestPayload = z.object({
  pull_request: z.object({ number: z.number().int().positive(), head: branchSchema, base: branchSchema }),
  repository: repoSchema.optional(),
});
const pushPayload = z.object({
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  repository: repoSchema.optional(),
});
const dispatchPayload = z.object({ ref: z.string().optional(), repository: repoSchema.optional() });
const workflowRunPayload = z.object({
  workflow_run: z.object({
    id: z.number().int(),
    event: z.string(),
    conclusion: z.string().nullable(),
    head_sha: z.string(),
    head_branch: z.string().nullable(),
    head_repository: repoSchema.nullable(),
    repository: repoSchema,
    pull_requests: z.array(
      z.object({
        number: z.number().int().positive(),
        base: z.object({ ref: z.string(), sha: z.string() }),
      }),
    ),
  }),
  repository: repoSchema.optional(),
});

const NULL_SHA = /^0{40}$/;

/** Reads and parses the file GITHUB_EVENT_PATH names. */
export function loadEventPayload(
  env: Env,
  readFile: (path: string) => string = (path) => readFileSync(path, "utf8"),
): unknown {
  const path = env.GITHUB_EVENT_PATH;
  if (!path)
    throw new Error("GITHUB_EVENT_PATH is not set: etude must run inside a GitHub Actions workflow here");
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    throw new Error(`GITHUB_EVENT_PATH is "${path}", which cannot be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`GITHUB_EVENT_PATH is "${path}", which is not JSON: ${(error as Error).message}`);
  }
}

export function readPullRequestContext(env: Env, eventPayload: unknown): PullRequestContext {
  const eventName = env.GITHUB_EVENT_NAME;
  if (!isSupportedEvent(eventName)) {
    throw new Error(
      `GITHUB_EVENT_NAME is ${eventName === undefined ? "not set" : `"${eventName}"`}; ` +
        `etude supports ${SUPPORTED_EVENTS.join(", ")}`,
    );
  }

  switch (eventName) {
    case "pull_request":
    case "pull_request_target": {
      const { pull_request: pr, repository } = parse(pullRequestPayload, eventPayload, eventName);
      const head = toCommit(pr.head.ref, pr.head.sha, pr.head.repo?.full_name ?? null);
      const base = toCommit(pr.base.ref, pr.base.sha, pr.base.repo?.full_name ?? null);
      return {
        eventName,
        ...repositoryOf(env, repository?.full_name ?? base.repoFullName ?? undefined),
        head,
        base,
        pullRequestNumber: pr.number,
        // A deleted fork leaves head.repo null: still a fork, and still read-only.
        isFork: head.repoFullName === null || head.repoFullName !== base.repoFullName,
      };
    }
    case "push": {
      const payload = parse(pushPayload, eventPayload, eventName);
      const repoFullName = payload.repository?.full_name ?? env.GITHUB_REPOSITORY ?? null;
      const head = toCommit(payload.ref, payload.after, repoFullName);
      return {
        eventName,
        ...repositoryOf(env, payload.repository?.full_name),
        head,
        // A push that creates a branch has no previous commit.
        ...(NULL_SHA.test(payload.before) ? {} : { base: { ...head, sha: payload.before } }),
        isFork: false,
      };
    }
    case "workflow_dispatch": {
      const payload = parse(dispatchPayload, eventPayload, eventName);
      const ref = payload.ref ?? env.GITHUB_REF;
      const sha = env.GITHUB_SHA;
      if (!ref || !sha) {
        throw new Error(
          `workflow_dispatch needs the ref (payload "ref" or GITHUB_REF, got ${JSON.stringify(ref)}) ` +
            `and GITHUB_SHA (got ${JSON.stringify(sha)})`,
        );
      }
      const repoFullName = payload.repository?.full_name ?? env.GITHUB_REPOSITORY ?? null;
      return {
        eventName,
        ...repositoryOf(env, payload.repository?.full_name),
        head: toCommit(ref, sha, repoFullName),
        isFork: false,
      };
    }
    case "workflow_run": {
      const { workflow_run: run, repository } = parse(workflowRunPayload, eventPayload, eventName);
      const headRepo = run.head_repository?.full_name ?? null;
      const pr = run.pull_requests[0];
      return {
        eventName,
        ...repositoryOf(env, repository?.full_name ?? run.repository.full_name),
        head: toCommit(run.head_branch ?? run.head_sha, run.head_sha, headRepo),
        ...(pr ? { base: toCommit(pr.base.ref, pr.base.sha, run.repository.full_name) } : {}),
        ...(pr ? { pullRequestNumber: pr.number } : {}),
        isFork: headRepo === null || headRepo !== run.repository.full_name,
        triggeringRun: { id: run.id, event: run.event, conclusion: run.conclusion },
      };
    }
  }
}

function isSupportedEvent(name: string | undefined): name is GitHubEventName {
  return (SUPPORTED_EVENTS as readonly (string | undefined)[]).includes(name);
}

function parse<T>(schema: z.ZodType<T>, payload: unknown, eventName: string): T {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join(".") : "(payload)";
  throw new Error(`The ${eventName} event payload is not as GitHub sends it: ${field}: ${issue.message}`);
}

function toCommit(ref: string, sha: string, repoFullName: string | null): CommitRef {
  return { ref: ref.replace(/^refs\/heads\//, ""), sha, repoFullName };
}

function repositoryOf(env: Env, payloadFullName: string | undefined): { owner: string; repo: string } {
  const fullName = env.GITHUB_REPOSITORY ?? payloadFullName;
  const [owner, repo, extra] = (fullName ?? "").split("/");
  if (!owner || !repo || extra !== undefined) {
    throw new Error(
      `The repository must be "owner/repo" (GITHUB_REPOSITORY or the payload's repository.full_name), ` +
        `got ${JSON.stringify(fullName)}`,
    );
  }
  return { owner, repo };
}
