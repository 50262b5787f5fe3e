import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CommentPermissionError,
  commentMarker,
  createGitHubApi,
  createOctokit,
  type GitHubApi,
  GitHubRequestError,
  upsertComment,
} from "../../src/github/index.ts";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/index.ts";

describe("upsertComment against the fake GitHub", () => {
  let fake: FakeGitHub;
  let api: GitHubApi;

  before(async () => {
    fake = await startFakeGitHub({ perPage: 3 });
    api = createGitHubApi(createOctokit("write-token", { baseUrl: fake.url }));
  });
  after(() => fake.close());

  test("creates one comment, then edits it in place on every later push", async () => {
    fake.addPullRequest("acme", "models", 7, []);
    const marker = commentMarker("checkout");
    const first = await upsertComment(api, {
      owner: "acme",
      repo: "models",
      issueNumber: 7,
      marker,
      body: "run 1",
    });
    const second = await upsertComment(api, {
      owner: "acme",
      repo: "models",
      issueNumber: 7,
      marker,
      body: "run 2",
    });
    const third = await upsertComment(api, {
      owner: "acme",
      repo: "models",
      issueNumber: 7,
      marker,
      body: "run 3",
    });

    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(third.created, false);
    assert.equal(second.id, first.id);
    assert.equal(third.id, first.id);
    assert.match(first.url, /#issuecomment-\d+$/);
    assert.deepEqual(
      fake.commentsOn("acme", "models", 7).map((c) => c.body),
      [`${marker}\nrun 3`],
    );
  });

  test("finds its comment on a later page among other comments and other specs' reports", async () => {
    fake.addPullRequest("acme", "busy", 8, []);
    const marker = commentMarker("search");
    for (let i = 0; i < 7; i++) fake.addComment("acme", "busy", 8, `review ${i}`, { login: "reviewer" });
    fake.addComment("acme", "busy", 8, `${commentMarker("search-v2")}\nother spec`);
    fake.addComment("acme", "busy", 8, `> quoting\n${marker}\nold`, { login: "reviewer" });
    const ours = fake.addComment("acme", "busy", 8, `${marker}\nold report`);

    const result = await upsertComment(api, {
      owner: "acme",
      repo: "busy",
      issueNumber: 8,
      marker,
      body: "new",
    });

    assert.deepEqual(result, { id: ours.id, url: result.url, created: false });
    const bodies = fake.commentsOn("acme", "busy", 8).map((c) => c.body);
    assert.equal(bodies.length, 10);
    assert.equal(bodies[9], `${marker}\nnew`);
    assert.equal(bodies[7], `${commentMarker("search-v2")}\nother spec`);
    assert.equal(bodies[8], `> quoting\n${marker}\nold`);
    const listCalls = fake.requests.filter(
      (r) => r.method === "GET" && r.path.includes("/issues/8/comments"),
    );
    assert.equal(listCalls.length, 4, "10 comments at 3 per page take 4 requests");
  });

  test("shortens a report too long for GitHub instead of failing", async () => {
    fake.addPullRequest("acme", "long", 10, []);
    const marker = commentMarker("checkout");
    const body = `## Report\n<details><summary>Raw windows</summary>\n\n${"x".repeat(70_000)}\n</details>\n`;
    await upsertComment(api, { owner: "acme", repo: "long", issueNumber: 10, marker, body });
    const [stored] = fake.commentsOn("acme", "long", 10);
    assert.ok(stored);
    assert.ok(stored.body.startsWith(`${marker}\n## Report\n`));
    assert.ok(stored.body.length <= 65536);
    assert.match(stored.body, /removed 1 collapsible section\(s\): "Raw windows"/);
  });

  test("explains a read-only token instead of surfacing a bare 403", async () => {
    fake.addPullRequest("acme", "forked", 9, [], { head: { repoFullName: "stranger/forked" } });
    fake.setTokenPermissions("fork-token", "read");
    const readOnly = createGitHubApi(createOctokit("fork-token", { baseUrl: fake.url }));

    await assert.rejects(
      upsertComment(readOnly, {
        owner: "acme",
        repo: "forked",
        issueNumber: 9,
        marker: commentMarker("checkout"),
        body: "report",
      }),
      (error: unknown) => {
        assert.ok(error instanceof CommentPermissionError);
        assert.equal(error.status, 403);
        assert.equal(error.githubMessage, "Resource not accessible by integration");
        assert.match(error.message, /acme\/forked#9/);
        assert.match(error.message, /fork/);
        assert.match(error.message, /read-only GITHUB_TOKEN and no secrets/);
        assert.match(error.message, /`workflow_run`/);
        assert.match(error.message, /pull-requests: write/);
        return true;
      },
    );
  });

  test("passes other failures through with GitHub's status and message", async () => {
    await assert.rejects(
      upsertComment(api, {
        owner: "acme",
        repo: "nowhere",
        issueNumber: 1,
        marker: commentMarker("checkout"),
        body: "report",
      }),
      (error: unknown) =>
        error instanceof GitHubRequestError && error.status === 404 && error.githubMessage === "Not Found",
    );
  });

  test("rejects a marker not made by commentMarker", async () => {
    await assert.rejects(
      upsertComment(api, { owner: "acme", repo: "models", issueNumber: 7, marker: "etude", body: "x" }),
      /marker must be made by commentMarker\(specName\).*got "etude"/,
    );
  });
});

describe("commentMarker", () => {
  test("is a hidden HTML comment naming the spec", () => {
    assert.equal(commentMarker("checkout-p90"), "<!-- etude:report:checkout-p90 -->");
  });

  test("cannot be closed early or spoofed by a hostile spec name", () => {
    const marker = commentMarker("x --> <img src=y> <!-- z");
    assert.equal(marker.indexOf("-->"), marker.length - 3);
    assert.equal(marker.lastIndexOf("<!--"), 0);
    assert.ok(!marker.includes("<img"));
    assert.notEqual(commentMarker("a--b"), commentMarker("a-b"));
  });
});
