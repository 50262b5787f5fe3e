/**
 * The few GitHub REST calls etude makes, behind a small interface so the logic above it can be
 * exercised with any implementation; `createGitHubApi` is the Octokit-backed one.
 */
import { getOctokit } from "@actions/github";

export type Octokit = ReturnType<typeof getOctokit>;

export interface IssueComment {
  id: number;
  body: string;
  /** Browser address of the comment. */
  url: string;
  author: string;
}

export interface ChangedFile {
  filename: string;
  /** added, removed, modified, renamed, copied, changed or unchanged. */
  status: string;
  previousFilename?: string;
}

export interface PullRequestSummary {
  number: number;
  /** Files the pull request changes; may exceed what the files listing returns. */
  changedFiles: number;
}

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface GitHubApi {
  /** Every comment on the issue or pull request, oldest first, across all pages. */
  listIssueComments(params: RepoRef & { issueNumber: number }): Promise<IssueComment[]>;
  createIssueComment(params: RepoRef & { issueNumber: number; body: string }): Promise<IssueComment>;
  updateIssueComment(params: RepoRef & { commentId: number; body: string }): Promise<IssueComment>;
  /** Every file GitHub lists for the pull request, across all pages. */
  listPullRequestFiles(params: RepoRef & { pullNumber: number }): Promise<ChangedFile[]>;
  getPullRequest(params: RepoRef & { pullNumber: number }): Promise<PullRequestSummary>;
}

/** A GitHub API call that GitHub answered with an error status. */
export class GitHubRequestError extends Error {
  override name = "GitHubRequestError";
  readonly status: number;
  /** GitHub's own `message` field, when the response carried one. */
  readonly githubMessage: string;
  readonly operation: string;

  constructor(operation: string, status: number, githubMessage: string) {
    super(`GitHub ${operation} failed with HTTP ${status}: ${githubMessage}`);
    this.operation = operation;
    this.status = status;
    this.githubMessage = githubMessage;
  }
}

const PAGE_SIZE = 100;

/** Builds the Octokit client; `baseUrl` defaults to GITHUB_API_URL, then https://api.github.com. */
export function createOctokit(token: string, options: { baseUrl?: string } = {}): Octokit {
  return getOctokit(token, options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl });
}

export function createGitHubApi(octokit: Octokit): GitHubApi {
  return {
    listIssueComments: ({ owner, repo, issueNumber }) =>
      call("list issue comments", async () => {
        const comments = await octokit.paginate(octokit.rest.issues.listComments, {
          owner,
          repo,
          issue_number: issueNumber,
          per_page: PAGE_SIZE,
        });
        return comments.map(toComment);
      }),
    createIssueComment: ({ owner, repo, issueNumber, body }) =>
      call("create issue comment", async () => {
        const { data } = await octokit.rest.issues.createComment({
          owner,
          repo,
          issue_number: issueNumber,
          body,
        });
        return toComment(data);
      }),
    updateIssueComment: ({ owner, repo, commentId, body }) =>
      call("update issue comment", async () => {
        const { data } = await octokit.rest.issues.updateComment({
          owner,
          repo,
          comment_id: commentId,
          body,
        });
        return toComment(data);
      }),
    listPullRequestFiles: ({ owner, repo, pullNumber }) =>
      call("list pull request files", async () => {
        const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
          owner,
          repo,
          pull_number: pullNumber,
          per_page: PAGE_SIZE,
        });
        return files.map((f) => ({
          filename: f.filename,
          status: f.status,
          ...(f.previous_filename === undefined ? {} : { previousFilename: f.previous_filename }),
        }));
      }),
    getPullRequest: ({ owner, repo, pullNumber }) =>
      call("get pull request", async () => {
        const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber });
        return { number: data.number, changedFiles: data.changed_files };
      }),
  };
}

function toComment(data: { id: number; body?: string; html_url: string; user: { login: string } | null }) {
  return { id: data.id, body: data.body ?? "", url: data.html_url, author: data.user?.login ?? "" };
}

async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status !== "number") throw error;
    const data = (error as { response?: { data?: unknown } }).response?.data;
    const message = (data as { message?: unknown } | undefined)?.message;
    throw new GitHubRequestError(
      operation,
      status,
      typeof message === "string" ? message : error instanceof Error ? error.message : String(error),
    );
  }
}
