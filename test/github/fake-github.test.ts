import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { getOctokit } from "@actions/github";
import {
  COMMENT_BODY_LIMIT,
  type FakeGitHub,
  PULL_FILES_LIMIT,
  startFakeGitHub,
} from "../fake-github/index.ts";

describe("fake GitHub REST API", () => {
  let fake: FakeGitHub;
  let octokit: ReturnType<typeof getOctokit>;

  before(async () => {
    fake = await startFakeGitHub({ perPage: 2 });
    octokit = getOctokit("write-token", { baseUrl: fake.url });
  });
  after(() => fake.close());

  test("serves issue comments in pages with GitHub's Link header", async () => {
    fake.addPullRequest("acme", "models", 1, []);
    for (const body of ["one", "two", "three", "four", "five"]) fake.addComment("acme", "models", 1, body);

    const first = await fetch(`${fake.url}/repos/acme/models/issues/1/comments?per_page=2&page=2`);
    assert.equal(first.status, 200);
    const link = first.headers.get("link") ?? "";
    const path = "/repos/acme/models/issues/1/comments";
    assert.equal(
      link,
      `<${fake.url}${path}?per_page=2&page=1>; rel="prev", <${fake.url}${path}?per_page=2&page=3>; rel="next", ` +
        `<${fake.url}${path}?per_page=2&page=3>; rel="last", <${fake.url}${path}?per_page=2&page=1>; rel="first"`,
    );
    assert.deepEqual(
      ((await first.json()) as Array<{ body: string }>).map((c) => c.body),
      ["three", "four"],
    );

    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner: "acme",
      repo: "models",
      issue_number: 1,
      per_page: 100,
    });
    assert.deepEqual(
      all.map((c) => c.body),
      ["one", "two", "three", "four", "five"],
    );
    assert.equal(all[0]?.user?.login, "github-actions[bot]");
    assert.match(all[0]?.html_url ?? "", /^https:\/\/github\.com\/acme\/models\/pull\/1#issuecomment-\d+$/);
  });

  test("omits the Link header when everything fits on one page", async () => {
    fake.addPullRequest("acme", "single", 2, []);
    fake.addComment("acme", "single", 2, "only");
    const response = await fetch(`${fake.url}/repos/acme/single/issues/2/comments`);
    assert.equal(response.headers.get("link"), null);
  });

  test("creates and edits comments with GitHub's status codes and records the requests", async () => {
    fake.addPullRequest("acme", "edit", 3, []);
    const created = await octokit.rest.issues.createComment({
      owner: "acme",
      repo: "edit",
      issue_number: 3,
      body: "a",
    });
    assert.equal(created.status, 201);
    const updated = await octokit.rest.issues.updateComment({
      owner: "acme",
      repo: "edit",
      comment_id: created.data.id,
      body: "b",
    });
    assert.equal(updated.status, 200);
    assert.deepEqual(
      fake.commentsOn("acme", "edit", 3).map((c) => c.body),
      ["b"],
    );
    assert.deepEqual(fake.requests.slice(-2), [
      { method: "POST", path: "/repos/acme/edit/issues/3/comments", status: 201 },
      { method: "PATCH", path: `/repos/acme/edit/issues/comments/${created.data.id}`, status: 200 },
    ]);
  });

  test("answers unknown resources with GitHub's 404 body", async () => {
    const response = await fetch(`${fake.url}/repos/acme/missing/pulls/9`);
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), {
      message: "Not Found",
      documentation_url: "https://docs.github.com/rest/pulls/pulls#get-a-pull-request",
      status: "404",
    });
    await assert.rejects(
      octokit.rest.issues.updateComment({ owner: "acme", repo: "missing", comment_id: 1, body: "x" }),
      (error: { status?: number }) => error.status === 404,
    );
  });

  test("refuses writes from a read-only token with 403, but lets it read", async () => {
    fake.addPullRequest("acme", "forked", 4, []);
    fake.setTokenPermissions("fork-token", "read");
    const readOnly = getOctokit("fork-token", { baseUrl: fake.url });
    const listed = await readOnly.rest.issues.listComments({
      owner: "acme",
      repo: "forked",
      issue_number: 4,
    });
    assert.equal(listed.status, 200);
    await assert.rejects(
      readOnly.rest.issues.createComment({ owner: "acme", repo: "forked", issue_number: 4, body: "x" }),
      (error: { status?: number; response?: { data?: { message?: string } } }) =>
        error.status === 403 && error.response?.data?.message === "Resource not accessible by integration",
    );
    assert.equal(fake.commentsOn("acme", "forked", 4).length, 0);
  });

  test("rejects a comment body over GitHub's limit with 422", async () => {
    fake.addPullRequest("acme", "long", 5, []);
    await assert.rejects(
      octokit.rest.issues.createComment({
        owner: "acme",
        repo: "long",
        issue_number: 5,
        body: "x".repeat(COMMENT_BODY_LIMIT + 1),
      }),
      (error: { status?: number }) => error.status === 422,
    );
  });

  test("serves a pull request and its files, listing at most 3000", async () => {
    const wide = await startFakeGitHub();
    try {
      const client = getOctokit("write-token", { baseUrl: wide.url });
      const files = Array.from({ length: PULL_FILES_LIMIT + 5 }, (_, i) => ({ filename: `src/f${i}.ts` }));
      wide.addPullRequest("acme", "big", 6, files, { head: { repoFullName: "someone/big", ref: "topic" } });
      const pull = await client.rest.pulls.get({ owner: "acme", repo: "big", pull_number: 6 });
      assert.equal(pull.data.changed_files, PULL_FILES_LIMIT + 5);
      assert.equal(pull.data.head.ref, "topic");
      assert.equal(pull.data.head.repo?.full_name, "someone/big");
      assert.equal(pull.data.base.repo.full_name, "acme/big");

      const listed = await client.paginate(client.rest.pulls.listFiles, {
        owner: "acme",
        repo: "big",
        pull_number: 6,
        per_page: 100,
      });
      assert.equal(listed.length, PULL_FILES_LIMIT);
      assert.equal(listed[0]?.filename, "src/f0.ts");
      assert.equal(listed[0]?.status, "modified");
      assert.equal(wide.requests.filter((r) => r.path.includes("/files")).length, PULL_FILES_LIMIT / 100);
    } finally {
      await wide.close();
    }
  });
});
