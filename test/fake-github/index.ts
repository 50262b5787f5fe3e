/**
 * A fake of the GitHub REST API endpoints etude uses, served on 127.0.0.1 so the real Octokit
 * (`github.getOctokit(token, { baseUrl: fake.url })`) talks to it over HTTP. Responses follow
 * GitHub's shapes, status codes, error bodies and `Link` pagination headers.
 *
 * Tokens are write tokens unless `setTokenPermissions(token, "read")` says otherwise: a read-only
 * token is what a fork pull request gets, and its writes are answered with GitHub's 403.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** GitHub's maximum comment length, in characters. */
export const COMMENT_BODY_LIMIT = 65536;
/** GitHub lists at most this many files of a pull request. */
export const PULL_FILES_LIMIT = 3000;
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;
const BOT_LOGIN = "github-actions[bot]";

export type TokenPermission = "write" | "read";

export interface FakeUser {
  login: string;
  id: number;
  type: "User" | "Bot";
}

export interface FakeComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  user: FakeUser;
  createdAt: string;
  updatedAt: string;
}

export interface FakeFile {
  filename: string;
  status: string;
  previousFilename?: string;
}

export interface FakeBranch {
  ref: string;
  sha: string;
  /** `owner/repo` of the repository the branch lives in; a fork when it differs from the base's. */
  repoFullName: string;
}

export interface FakePull {
  owner: string;
  repo: string;
  number: number;
  head: FakeBranch;
  base: FakeBranch;
  /** Every changed file, including those past GitHub's listing limit. */
  files: FakeFile[];
}

export interface PullRequestOptions {
  head?: Partial<FakeBranch>;
  base?: Partial<FakeBranch>;
}

export interface RecordedRequest {
  method: string;
  /** Path and query string as received. */
  path: string;
  status: number;
}

export interface FakeGitHubState {
  /** Comments per issue, keyed `owner/repo#number`, oldest first. */
  comments: Map<string, FakeComment[]>;
  /** Pull requests, keyed `owner/repo#number`. */
  pulls: Map<string, FakePull>;
}

export interface FakeGitHub {
  /** Base URL to hand to Octokit as `baseUrl` (or GITHUB_API_URL). */
  url: string;
  state: FakeGitHubState;
  requests: RecordedRequest[];
  addPullRequest(
    owner: string,
    repo: string,
    number: number,
    files: Array<{ filename: string; status?: string; previousFilename?: string }>,
    options?: PullRequestOptions,
  ): FakePull;
  addComment(
    owner: string,
    repo: string,
    issueNumber: number,
    body: string,
    author?: { login: string; type?: "User" | "Bot" },
  ): FakeComment;
  /** The comments on one issue or pull request, oldest first. */
  commentsOn(owner: string, repo: string, issueNumber: number): FakeComment[];
  setTokenPermissions(token: string, permission: TokenPermission): void;
  close(): Promise<void>;
}

export interface FakeGitHubOptions {
  /** Largest page the fake serves whatever `per_page` asks for, to exercise pagination with few items. */
  perPage?: number;
  now?: () => Date;
}

class HttpError extends Error {
  readonly status: number;
  readonly documentationUrl: string;
  readonly extra: Record<string, unknown>;

  constructor(
    status: number,
    message: string,
    documentationUrl: string,
    extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.status = status;
    this.documentationUrl = documentationUrl;
    this.extra = extra;
  }
}

const DOCS = {
  rest: "https://docs.github.com/rest",
  listComments: "https://docs.github.com/rest/issues/comments#list-issue-comments",
  createComment: "https://docs.github.com/rest/issues/comments#create-an-issue-comment",
  updateComment: "https://docs.github.com/rest/issues/comments#update-an-issue-comment",
  listFiles: "https://docs.github.com/rest/pulls/pulls#list-pull-requests-files",
  getPull: "https://docs.github.com/rest/pulls/pulls#get-a-pull-request",
};

const issueKey = (owner: string, repo: string, n: number): string => `${owner}/${repo}#${n}`;

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  if (options.perPage !== undefined && !(Number.isInteger(options.perPage) && options.perPage >= 1)) {
    throw new RangeError(`perPage must be a positive integer, got ${options.perPage}`);
  }
  const now = options.now ?? (() => new Date());
  const state: FakeGitHubState = { comments: new Map(), pulls: new Map() };
  const requests: RecordedRequest[] = [];
  const permissions = new Map<string, TokenPermission>();
  const users = new Map<string, FakeUser>();
  let nextCommentId = 1_000_001;
  let url = "";

  const userFor = (login: string, type: "User" | "Bot"): FakeUser => {
    let user = users.get(login);
    if (!user) {
      user = { login, id: 40_000 + users.size, type };
      users.set(login, user);
    }
    return user;
  };

  const ensureIssue = (owner: string, repo: string, n: number): FakeComment[] => {
    const key = issueKey(owner, repo, n);
    let list = state.comments.get(key);
    if (!list) {
      list = [];
      state.comments.set(key, list);
    }
    return list;
  };

  const insertComment = (owner: string, repo: string, n: number, body: string, user: FakeUser) => {
    const stamp = now().toISOString();
    const comment: FakeComment = {
      id: nextCommentId++,
      owner,
      repo,
      issueNumber: n,
      body,
      user,
      createdAt: stamp,
      updatedAt: stamp,
    };
    ensureIssue(owner, repo, n).push(comment);
    return comment;
  };

  const commentJson = (c: FakeComment) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${url}/repos/${c.owner}/${c.repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${c.owner}/${c.repo}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${url}/repos/${c.owner}/${c.repo}/issues/${c.issueNumber}`,
    body: c.body,
    user: { login: c.user.login, id: c.user.id, type: c.user.type },
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: c.user.type === "Bot" ? "NONE" : "MEMBER",
  });

  const branchJson = (b: FakeBranch) => {
    const [login = "", name = ""] = b.repoFullName.split("/");
    return {
      label: `${login}:${b.ref}`,
      ref: b.ref,
      sha: b.sha,
      repo: { name, full_name: b.repoFullName, owner: { login }, fork: false },
    };
  };

  const pullJson = (p: FakePull) => {
    const head = branchJson(p.head);
    head.repo.fork = p.head.repoFullName !== p.base.repoFullName;
    return {
      url: `${url}/repos/${p.owner}/${p.repo}/pulls/${p.number}`,
      html_url: `https://github.com/${p.owner}/${p.repo}/pull/${p.number}`,
      number: p.number,
      state: "open",
      title: `Pull request ${p.number}`,
      head,
      base: branchJson(p.base),
      changed_files: p.files.length,
      commits: 1,
    };
  };

  const fileJson = (p: FakePull, f: FakeFile) => ({
    sha: "0".repeat(40),
    filename: f.filename,
    status: f.status,
    additions: 1,
    deletions: f.status === "added" ? 0 : 1,
    changes: f.status === "added" ? 1 : 2,
    blob_url: `https://github.com/${p.owner}/${p.repo}/blob/${p.head.sha}/${f.filename}`,
    raw_url: `https://github.com/${p.owner}/${p.repo}/raw/${p.head.sha}/${f.filename}`,
    contents_url: `${url}/repos/${p.owner}/${p.repo}/contents/${f.filename}?ref=${p.head.sha}`,
    ...(f.previousFilename === undefined ? {} : { previous_filename: f.previousFilename }),
  });

  /** Slices one page and sets GitHub's `Link` header when there is more than one page. */
  const paginate = <T>(items: T[], query: URLSearchParams, path: string, res: ServerResponse): T[] => {
    const requested = Number(query.get("per_page") ?? DEFAULT_PER_PAGE);
    let perPage =
      Number.isInteger(requested) && requested >= 1 ? Math.min(requested, MAX_PER_PAGE) : DEFAULT_PER_PAGE;
    if (options.perPage !== undefined) perPage = Math.min(perPage, options.perPage);
    const pageAsked = Number(query.get("page") ?? 1);
    const page = Number.isInteger(pageAsked) && pageAsked >= 1 ? pageAsked : 1;
    const lastPage = Math.max(1, Math.ceil(items.length / perPage));
    if (lastPage > 1) {
      const link = (p: number, rel: string) => `<${url}${path}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
      const links: string[] = [];
      if (page > 1) links.push(link(Math.min(page - 1, lastPage), "prev"));
      if (page < lastPage) links.push(link(page + 1, "next"), link(lastPage, "last"));
      if (page > 1) links.push(link(1, "first"));
      res.setHeader("Link", links.join(", "));
    }
    return items.slice((page - 1) * perPage, page * perPage);
  };

  const requireWrite = (req: IncomingMessage, documentationUrl: string): FakeUser => {
    const token = tokenOf(req);
    if (token === undefined) throw new HttpError(401, "Requires authentication", documentationUrl);
    if (permissions.get(token) === "read") {
      throw new HttpError(403, "Resource not accessible by integration", documentationUrl);
    }
    return userFor(BOT_LOGIN, "Bot");
  };

  const pullOr404 = (owner: string, repo: string, n: number, documentationUrl: string): FakePull => {
    const pull = state.pulls.get(issueKey(owner, repo, n));
    if (!pull) throw new HttpError(404, "Not Found", documentationUrl);
    return pull;
  };

  const commentBody = (payload: unknown, documentationUrl: string): string => {
    const body = (payload as { body?: unknown } | null)?.body;
    if (typeof body !== "string") {
      throw new HttpError(422, 'Invalid request.\n\n"body" wasn\'t supplied.', documentationUrl);
    }
    if (body.length > COMMENT_BODY_LIMIT) {
      throw new HttpError(422, "Validation Failed", documentationUrl, {
        errors: [
          {
            resource: "IssueComment",
            code: "custom",
            field: "body",
            message: `body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)`,
          },
        ],
      });
    }
    return body;
  };

  const route = async (
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<{ status: number; json: unknown }> => {
    const parsed = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = parsed.pathname;
    const method = req.method ?? "GET";
    let m: RegExpExecArray | null;

    m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path);
    if (m) {
      const [owner, repo, n] = [m[1]!, m[2]!, Number(m[3])];
      const list = state.comments.get(issueKey(owner, repo, n));
      if (method === "GET") {
        if (!list) throw new HttpError(404, "Not Found", DOCS.listComments);
        return { status: 200, json: paginate(list, parsed.searchParams, path, res).map(commentJson) };
      }
      if (method === "POST") {
        if (!list) throw new HttpError(404, "Not Found", DOCS.createComment);
        const user = requireWrite(req, DOCS.createComment);
        const body = commentBody(await readJson(req), DOCS.createComment);
        return { status: 201, json: commentJson(insertComment(owner, repo, n, body, user)) };
      }
    }

    m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path);
    if (m && method === "PATCH") {
      const [owner, repo, id] = [m[1]!, m[2]!, Number(m[3])];
      const comment = findComment(state, owner, repo, id);
      if (!comment) throw new HttpError(404, "Not Found", DOCS.updateComment);
      requireWrite(req, DOCS.updateComment);
      comment.body = commentBody(await readJson(req), DOCS.updateComment);
      comment.updatedAt = now().toISOString();
      return { status: 200, json: commentJson(comment) };
    }

    m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/files$/.exec(path);
    if (m && method === "GET") {
      const pull = pullOr404(m[1]!, m[2]!, Number(m[3]), DOCS.listFiles);
      const listed = pull.files.slice(0, PULL_FILES_LIMIT);
      return {
        status: 200,
        json: paginate(listed, parsed.searchParams, path, res).map((f) => fileJson(pull, f)),
      };
    }

    m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(path);
    if (m && method === "GET") {
      return { status: 200, json: pullJson(pullOr404(m[1]!, m[2]!, Number(m[3]), DOCS.getPull)) };
    }

    throw new HttpError(404, "Not Found", DOCS.rest);
  };

  const server = createServer((req, res) => {
    const record = (status: number) =>
      requests.push({ method: req.method ?? "GET", path: req.url ?? "/", status });
    route(req, res).then(
      ({ status, json }) => {
        record(status);
        send(res, status, json);
      },
      (error: unknown) => {
        const failure =
          error instanceof HttpError
            ? error
            : new HttpError(500, `Fake GitHub failed: ${String(error)}`, DOCS.rest);
        record(failure.status);
        send(res, failure.status, {
          message: failure.message,
          ...failure.extra,
          documentation_url: failure.documentationUrl,
          status: String(failure.status),
        });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    state,
    requests,
    addPullRequest(owner, repo, number, files, pullOptions = {}) {
      const baseFullName = `${owner}/${repo}`;
      const pull: FakePull = {
        owner,
        repo,
        number,
        head: {
          ref: pullOptions.head?.ref ?? `feature-${number}`,
          sha: pullOptions.head?.sha ?? "b".repeat(40),
          repoFullName: pullOptions.head?.repoFullName ?? baseFullName,
        },
        base: {
          ref: pullOptions.base?.ref ?? "main",
          sha: pullOptions.base?.sha ?? "a".repeat(40),
          repoFullName: pullOptions.base?.repoFullName ?? baseFullName,
        },
        files: files.map((f) => ({
          filename: f.filename,
          status: f.status ?? "modified",
          ...(f.previousFilename === undefined ? {} : { previousFilename: f.previousFilename }),
        })),
      };
      state.pulls.set(issueKey(owner, repo, number), pull);
      ensureIssue(owner, repo, number);
      return pull;
    },
    addComment(owner, repo, issueNumber, body, author = { login: BOT_LOGIN, type: "Bot" }) {
      return insertComment(owner, repo, issueNumber, body, userFor(author.login, author.type ?? "User"));
    },
    commentsOn(owner, repo, issueNumber) {
      return state.comments.get(issueKey(owner, repo, issueNumber)) ?? [];
    },
    setTokenPermissions(token, permission) {
      permissions.set(token, permission);
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function tokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^(?:token|bearer)\s+(.+)$/i.exec(header);
  return match?.[1];
}

function findComment(
  state: FakeGitHubState,
  owner: string,
  repo: string,
  id: number,
): FakeComment | undefined {
  for (const list of state.comments.values()) {
    const found = list.find((c) => c.id === id && c.owner === owner && c.repo === repo);
    if (found) return found;
  }
  return undefined;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "Problems parsing JSON", DOCS.rest);
  }
}

function send(res: ServerResponse, status: number, json: unknown): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(JSON.stringify(json));
}
