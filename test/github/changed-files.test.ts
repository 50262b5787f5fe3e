import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  createGitHubApi,
  createOctokit,
  GITHUB_PULL_FILES_LIMIT,
  type GitHubApi,
  listChangedFiles,
  matchesPaths,
} from "../../src/github/index.ts";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/index.ts";

describe("listChangedFiles", () => {
  let fake: FakeGitHub;
  let api: GitHubApi;

  before(async () => {
    fake = await startFakeGitHub();
    api = createGitHubApi(createOctokit("write-token", { baseUrl: fake.url }));
  });
  after(() => fake.close());

  test("collects every page of files, with renames", async () => {
    const files = [
      ...Array.from({ length: 250 }, (_, i) => ({ filename: `models/m${i}.py` })),
      { filename: "serving/new.py", status: "renamed", previousFilename: "serving/old.py" },
    ];
    fake.addPullRequest("acme", "models", 1, files);

    const result = await listChangedFiles(api, { owner: "acme", repo: "models", pullNumber: 1 });

    assert.equal(result.files.length, 251);
    assert.equal(result.totalChanged, 251);
    assert.equal(result.truncated, false);
    assert.equal(result.warning, undefined);
    assert.deepEqual(result.files[250], {
      filename: "serving/new.py",
      status: "renamed",
      previousFilename: "serving/old.py",
    });
  });

  test("says so when GitHub's 3000-file cap hides part of the change", async () => {
    const files = Array.from({ length: 3200 }, (_, i) => ({ filename: `data/f${i}.csv` }));
    fake.addPullRequest("acme", "huge", 2, files);

    const result = await listChangedFiles(api, { owner: "acme", repo: "huge", pullNumber: 2 });

    assert.equal(result.files.length, GITHUB_PULL_FILES_LIMIT);
    assert.equal(result.totalChanged, 3200);
    assert.equal(result.truncated, true);
    assert.match(result.warning ?? "", /at most 3,000 files.*acme\/huge#2 changes 3,200.*first 3,000/);
  });
});

describe("matchesPaths", () => {
  const files = [
    "models/gru4rec/model.py",
    "models/gru4rec/README.md",
    "docs/index.md",
    ".github/workflows/ci.yml",
  ];

  test("returns the files that match, in order", () => {
    assert.deepEqual(matchesPaths(files, ["models/**"]), {
      matched: true,
      files: ["models/gru4rec/model.py", "models/gru4rec/README.md"],
    });
  });

  test("excludes with a later ! pattern and re-includes with a later positive one", () => {
    assert.deepEqual(matchesPaths(files, ["models/**", "!**/*.md"]).files, ["models/gru4rec/model.py"]);
    assert.deepEqual(matchesPaths(files, ["models/**", "!**/*.md", "models/**/README.md"]).files, [
      "models/gru4rec/model.py",
      "models/gru4rec/README.md",
    ]);
  });

  test("reports no match when only excluded files changed", () => {
    assert.deepEqual(matchesPaths(["docs/index.md"], ["**", "!docs/**"]), { matched: false, files: [] });
  });

  test("matches dot directories and renamed files under their old name", () => {
    assert.deepEqual(matchesPaths(files, [".github/**"]).files, [".github/workflows/ci.yml"]);
    const renamed = [
      { filename: "archive/model.py", status: "renamed", previousFilename: "models/model.py" },
    ];
    assert.deepEqual(matchesPaths(renamed, ["models/**"]).files, ["models/model.py"]);
  });

  test("treats a leading slash as the repository root", () => {
    assert.equal(matchesPaths(files, ["/docs/*.md"]).matched, true);
  });

  test("rejects pattern lists that could never match, naming them", () => {
    assert.throws(() => matchesPaths(files, []), /paths must list at least one glob pattern/);
    assert.throws(() => matchesPaths(files, ["!docs/**"]), /only "!" patterns.*\["\*\*", "!docs\/\*\*"\]/);
    assert.throws(() => matchesPaths(files, ["src/**", "!"]), /paths\[1\] is "!"/);
  });
});
