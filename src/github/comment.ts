/** The pull-request report comment: one per spec, found again by a hidden marker and edited in place. */
import { type GitHubApi, GitHubRequestError } from "./client.ts";
import { fitComment } from "./fit-comment.ts";

export interface UpsertCommentParams {
  owner: string;
  repo: string;
  issueNumber: number;
  /** From `commentMarker(specName)`. */
  marker: string;
  body: string;
}

export interface UpsertCommentResult {
  id: number;
  url: string;
  /** False when an earlier comment with the same marker was edited. */
  created: boolean;
}

/**
 * The hidden HTML comment that identifies a spec's report. The spec name may come from the pull
 * request itself, so anything that could end the HTML comment early is replaced.
 */
export function commentMarker(specName: string): string {
  const safeName = specName
    .replace(/[^A-Za-z0-9._/:@+ -]/g, "_")
    .replace(/-{2,}/g, (dashes) => "_".repeat(dashes.length));
  return `<!-- etude:report:${safeName} -->`;
}

/**
 * The comment could not be written because the token is read-only: what a fork pull request gets.
 * The message says what happened, why, and how to set the workflows up instead.
 */
export class CommentPermissionError extends Error {
  override name = "CommentPermissionError";
  readonly status: number;
  readonly githubMessage: string;

  constructor(target: string, status: number, githubMessage: string) {
    super(
      [
        `Could not write the etude report comment on ${target}: GitHub answered HTTP ${status} "${githubMessage}".`,
        "The workflow's token may not write to pull requests. That is what GitHub gives workflows run by",
        "`pull_request` from a fork (and by Dependabot): a read-only GITHUB_TOKEN and no secrets, so that",
        "code from the fork cannot change your repository. The benchmark itself is unaffected.",
        "To get the comment on fork pull requests, use two workflows: one on `pull_request` that runs the",
        "benchmark and uploads the report and the pull request number as an artifact, and one on",
        "`workflow_run` (types: [completed]) with `permissions: pull-requests: write` that downloads the",
        "artifact and posts the comment. Do not run the benchmark under `pull_request_target` with the",
        "fork's code checked out: that hands a write token and your secrets to untrusted code.",
        "If the pull request is not from a fork, give the job `permissions: pull-requests: write`.",
      ].join("\n"),
    );
    this.status = status;
    this.githubMessage = githubMessage;
  }
}

/**
 * Creates the spec's report comment, or edits the one already there, so that each push updates a
 * single comment. The body is prefixed with the marker when it does not already start with it, and
 * shortened with `fitComment` when it would exceed GitHub's limit.
 */
export async function upsertComment(
  api: GitHubApi,
  params: UpsertCommentParams,
): Promise<UpsertCommentResult> {
  const { owner, repo, issueNumber, marker } = params;
  if (!/^<!-- etude:report:.* -->$/.test(marker)) {
    throw new Error(
      `marker must be made by commentMarker(specName), e.g. "<!-- etude:report:checkout -->", got "${marker}"`,
    );
  }
  const body = fitComment(params.body.startsWith(marker) ? params.body : `${marker}\n${params.body}`);
  const target = `${owner}/${repo}#${issueNumber}`;

  const comments = await api.listIssueComments({ owner, repo, issueNumber });
  // Only a marker at the very start counts, so a comment quoting our report is never taken over.
  const existing = comments.find((c) => c.body.startsWith(marker));
  try {
    if (existing) {
      const updated = await api.updateIssueComment({ owner, repo, commentId: existing.id, body });
      return { id: updated.id, url: updated.url, created: false };
    }
    const created = await api.createIssueComment({ owner, repo, issueNumber, body });
    return { id: created.id, url: created.url, created: true };
  } catch (error) {
    if (error instanceof GitHubRequestError && error.status === 403) {
      throw new CommentPermissionError(target, error.status, error.githubMessage);
    }
    throw error;
  }
}
