/** How the main step announces its outcome: the job summary, the report comment and the step's status. */
import {
  CommentPermissionError,
  type GitHubApi,
  type PullRequestContext,
  upsertComment,
} from "../github/index.ts";
import type { ActionIO } from "./action.ts";
import { Inputs, Outputs } from "./constants.ts";
import type { GateDecision } from "./gate.ts";
import type { ActionSettings } from "./inputs.ts";

/** Job summary always; the comment as `comment` says, editing an earlier one when there is one. */
export async function publish(
  io: ActionIO,
  github: GitHubApi,
  settings: ActionSettings,
  context: PullRequestContext | undefined,
  report: { marker: string; body: string; passed: boolean },
): Promise<void> {
  let summary = report.body;
  const issueNumber = context?.pullRequestNumber;
  if (context !== undefined && issueNumber !== undefined && settings.comment !== "never") {
    const target = { owner: context.owner, repo: context.repo, issueNumber };
    try {
      const earlier =
        settings.comment === "on-failure" && report.passed
          ? (await github.listIssueComments(target)).some((comment) => comment.body.startsWith(report.marker))
          : true;
      if (earlier) {
        const comment = await upsertComment(github, { ...target, marker: report.marker, body: report.body });
        io.setOutput(Outputs.commentUrl, comment.url);
        io.info(`${comment.created ? "Posted" : "Updated"} the report comment: ${comment.url}`);
      }
    } catch (error) {
      if (!(error instanceof CommentPermissionError)) throw error;
      io.warning(error.message);
      summary += `\n\n> [!WARNING]\n${error.message
        .split("\n")
        .map((line) => `> ${line}`)
        .join("\n")}\n`;
    }
  }
  await io.appendSummary(summary);
}

/** Fails the step on an interruption or an enforced verdict that is not a pass; warns on the others. */
export function conclude(
  io: ActionIO,
  settings: ActionSettings,
  decision: GateDecision,
  interrupted: { happened: boolean; message: string },
): void {
  const summary = decision.reasons.join(" ");
  if (interrupted.happened) io.setFailed(interrupted.message);
  else if (decision.failed) io.setFailed(`etude: ${decision.verdict}. ${summary}`);
  else if (decision.verdict !== "pass")
    io.warning(
      `etude: ${decision.verdict} (not enforced: ${Inputs.failOn} is ${settings.failOn}). ${summary}`,
    );
}
