import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadEventPayload, readPullRequestContext } from "../../src/github/index.ts";

const SHA_BASE = "a".repeat(40);
const SHA_HEAD = "b".repeat(40);

function pullRequestPayload(headRepo: string | null) {
  return {
    action: "synchronize",
    number: 42,
    pull_request: {
      number: 42,
      head: {
        ref: "feature/faster-gru",
        sha: SHA_HEAD,
        repo: headRepo === null ? null : { full_name: headRepo },
      },
      base: { ref: "main", sha: SHA_BASE, repo: { full_name: "acme/models" } },
    },
    repository: { full_name: "acme/models" },
  };
}

describe("readPullRequestContext", () => {
  test("reads a same-repository pull request", () => {
    const context = readPullRequestContext(
      { GITHUB_EVENT_NAME: "pull_request", GITHUB_REPOSITORY: "acme/models" },
      pullRequestPayload("acme/models"),
    );
    assert.deepEqual(context, {
      eventName: "pull_request",
      owner: "acme",
      repo: "models",
      head: { ref: "feature/faster-gru", sha: SHA_HEAD, repoFullName: "acme/models" },
      base: { ref: "main", sha: SHA_BASE, repoFullName: "acme/models" },
      pullRequestNumber: 42,
      isFork: false,
    });
  });

  test("recognises a fork, including one that has since been deleted", () => {
    const fork = readPullRequestContext(
      { GITHUB_EVENT_NAME: "pull_request" },
      pullRequestPayload("stranger/models"),
    );
    assert.equal(fork.isFork, true);
    assert.equal(fork.owner, "acme");
    const deleted = readPullRequestContext(
      { GITHUB_EVENT_NAME: "pull_request_target" },
      pullRequestPayload(null),
    );
    assert.equal(deleted.eventName, "pull_request_target");
    assert.equal(deleted.isFork, true);
    assert.equal(deleted.head.repoFullName, null);
  });

  test("reads a push, comparing with the commit before it", () => {
    const context = readPullRequestContext(
      { GITHUB_EVENT_NAME: "push", GITHUB_REPOSITORY: "acme/models" },
      { ref: "refs/heads/main", before: SHA_BASE, after: SHA_HEAD, repository: { full_name: "acme/models" } },
    );
    assert.deepEqual(context.head, { ref: "main", sha: SHA_HEAD, repoFullName: "acme/models" });
    assert.deepEqual(context.base, { ref: "main", sha: SHA_BASE, repoFullName: "acme/models" });
    assert.equal(context.pullRequestNumber, undefined);
    assert.equal(context.isFork, false);

    const newBranch = readPullRequestContext(
      { GITHUB_EVENT_NAME: "push", GITHUB_REPOSITORY: "acme/models" },
      { ref: "refs/heads/topic", before: "0".repeat(40), after: SHA_HEAD },
    );
    assert.equal(newBranch.base, undefined);
  });

  test("reads a manual dispatch from the environment", () => {
    const context = readPullRequestContext(
      {
        GITHUB_EVENT_NAME: "workflow_dispatch",
        GITHUB_REPOSITORY: "acme/models",
        GITHUB_REF: "refs/tags/v1.2",
        GITHUB_SHA: SHA_HEAD,
      },
      { inputs: {} },
    );
    assert.deepEqual(context.head, { ref: "refs/tags/v1.2", sha: SHA_HEAD, repoFullName: "acme/models" });
    assert.equal(context.base, undefined);
  });

  test("reads the pull request behind a workflow_run, and its absence for forks", () => {
    const run = (headRepo: string, pullRequests: unknown[]) => ({
      workflow_run: {
        id: 991,
        event: "pull_request",
        conclusion: "success",
        head_sha: SHA_HEAD,
        head_branch: "feature/faster-gru",
        head_repository: { full_name: headRepo },
        repository: { full_name: "acme/models" },
        pull_requests: pullRequests,
      },
    });
    const same = readPullRequestContext(
      { GITHUB_EVENT_NAME: "workflow_run", GITHUB_REPOSITORY: "acme/models" },
      run("acme/models", [
        { number: 42, base: { ref: "main", sha: SHA_BASE }, head: { ref: "x", sha: SHA_HEAD } },
      ]),
    );
    assert.equal(same.pullRequestNumber, 42);
    assert.deepEqual(same.base, { ref: "main", sha: SHA_BASE, repoFullName: "acme/models" });
    assert.deepEqual(same.triggeringRun, { id: 991, event: "pull_request", conclusion: "success" });
    assert.equal(same.isFork, false);

    const fork = readPullRequestContext({ GITHUB_EVENT_NAME: "workflow_run" }, run("stranger/models", []));
    assert.equal(fork.isFork, true);
    assert.equal(fork.pullRequestNumber, undefined);
    assert.equal(fork.head.sha, SHA_HEAD);
  });

  test("names the unsupported event and the supported ones", () => {
    assert.throws(
      () => readPullRequestContext({ GITHUB_EVENT_NAME: "issue_comment" }, {}),
      /GITHUB_EVENT_NAME is "issue_comment"; etude supports pull_request, pull_request_target, push/,
    );
    assert.throws(() => readPullRequestContext({}, {}), /GITHUB_EVENT_NAME is not set/);
  });

  test("names the field a malformed payload gets wrong", () => {
    const payload = pullRequestPayload("acme/models");
    (payload.pull_request.head as { sha: unknown }).sha = 7;
    assert.throws(
      () => readPullRequestContext({ GITHUB_EVENT_NAME: "pull_request" }, payload),
      /pull_request event payload.*pull_request\.head\.sha/,
    );
    assert.throws(
      () =>
        readPullRequestContext(
          { GITHUB_EVENT_NAME: "pull_request", GITHUB_REPOSITORY: "not-a-repo" },
          pullRequestPayload("acme/models"),
        ),
      /"owner\/repo".*got "not-a-repo"/,
    );
  });
});

describe("loadEventPayload", () => {
  test("reads the file GITHUB_EVENT_PATH names", () => {
    const files: Record<string, string> = { "/tmp/event.json": '{"ref":"refs/heads/main"}' };
    const read = (path: string) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: ${path}`);
      return text;
    };
    assert.deepEqual(loadEventPayload({ GITHUB_EVENT_PATH: "/tmp/event.json" }, read), {
      ref: "refs/heads/main",
    });
    assert.throws(
      () => loadEventPayload({ GITHUB_EVENT_PATH: "/tmp/none.json" }, read),
      /"\/tmp\/none.json".*ENOENT/,
    );
    files["/tmp/bad.json"] = "{";
    assert.throws(() => loadEventPayload({ GITHUB_EVENT_PATH: "/tmp/bad.json" }, read), /not JSON/);
    assert.throws(() => loadEventPayload({}, read), /GITHUB_EVENT_PATH is not set/);
  });
});
