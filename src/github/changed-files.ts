/** Which files a pull request changes, and whether any of them fall under the benchmark's path filters. */
import picomatch from "picomatch";
import type { ChangedFile, GitHubApi } from "./client.ts";

/** GitHub's files listing stops at this many files, however many the pull request changes. */
export const GITHUB_PULL_FILES_LIMIT = 3000;

export interface ChangedFiles {
  files: ChangedFile[];
  /** How many files the pull request changes, as GitHub counts them. */
  totalChanged: number;
  /** True when GitHub's listing left files out: path filters then see only part of the change. */
  truncated: boolean;
  /** Set when truncated, ready to show to the user. */
  warning?: string;
}

export async function listChangedFiles(
  api: GitHubApi,
  params: { owner: string; repo: string; pullNumber: number },
): Promise<ChangedFiles> {
  const [pull, files] = await Promise.all([api.getPullRequest(params), api.listPullRequestFiles(params)]);
  const totalChanged = Math.max(pull.changedFiles, files.length);
  const truncated = totalChanged > files.length || files.length >= GITHUB_PULL_FILES_LIMIT;
  if (!truncated) return { files, totalChanged, truncated };
  return {
    files,
    totalChanged,
    truncated,
    warning:
      `GitHub lists at most ${GITHUB_PULL_FILES_LIMIT.toLocaleString("en-US")} files of a pull request; ` +
      `${params.owner}/${params.repo}#${params.pullNumber} changes ${totalChanged.toLocaleString("en-US")}, ` +
      `so only the first ${files.length.toLocaleString("en-US")} were checked against the path filters.`,
  };
}

export interface PathMatch {
  matched: boolean;
  /** The matching paths, in the order given; a renamed file counts under its old and new names. */
  files: string[];
}

/**
 * Matches changed files against glob patterns in the manner of GitHub Actions' `paths` filter:
 * patterns apply in order, a pattern starting with `!` excludes what earlier patterns included,
 * and a later positive pattern can include it again. `**` also matches dot files.
 */
export function matchesPaths(
  files: ReadonlyArray<ChangedFile | string>,
  globs: readonly string[],
): PathMatch {
  const rules = compileRules(globs);
  const matchedFiles: string[] = [];
  for (const file of files) {
    const names = typeof file === "string" ? [file] : [file.filename, file.previousFilename];
    for (const name of names) {
      if (name !== undefined && isIncluded(name, rules) && !matchedFiles.includes(name))
        matchedFiles.push(name);
    }
  }
  return { matched: matchedFiles.length > 0, files: matchedFiles };
}

interface Rule {
  negated: boolean;
  test: (path: string) => boolean;
}

function compileRules(globs: readonly string[]): Rule[] {
  if (globs.length === 0) {
    throw new Error('paths must list at least one glob pattern, e.g. ["models/**", "!**/*.md"]');
  }
  const rules = globs.map((glob, index) => {
    const negated = glob.startsWith("!");
    const pattern = (negated ? glob.slice(1) : glob).replace(/^\/+/, "");
    if (pattern.trim() === "") {
      throw new Error(`paths[${index}] is "${glob}": a pattern must name files, e.g. "src/**" or "!docs/**"`);
    }
    return { negated, test: picomatch(pattern, { dot: true }) };
  });
  if (rules.every((rule) => rule.negated)) {
    throw new Error(
      `paths ${JSON.stringify(globs)} has only "!" patterns, so nothing could match: ` +
        `start with a pattern that includes files, e.g. ["**", ${JSON.stringify(globs[0])}]`,
    );
  }
  return rules;
}

function isIncluded(path: string, rules: Rule[]): boolean {
  let included = false;
  for (const rule of rules) {
    if (rule.test(path)) included = !rule.negated;
  }
  return included;
}
