export {
  type ChangedFiles,
  GITHUB_PULL_FILES_LIMIT,
  listChangedFiles,
  matchesPaths,
  type PathMatch,
} from "./changed-files.ts";
export {
  type ChangedFile,
  createGitHubApi,
  createOctokit,
  type GitHubApi,
  GitHubRequestError,
  type IssueComment,
  type Octokit,
  type PullRequestSummary,
} from "./client.ts";
export {
  CommentPermissionError,
  commentMarker,
  type UpsertCommentParams,
  type UpsertCommentResult,
  upsertComment,
} from "./comment.ts";
export {
  type CommitRef,
  type Env,
  type GitHubEventName,
  loadEventPayload,
  type PullRequestContext,
  readPullRequestContext,
  SUPPORTED_EVENTS,
} from "./context.ts";

export { fitComment, GITHUB_COMMENT_LIMIT } from "./fit-comment.ts";
