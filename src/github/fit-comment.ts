/** Keeps a report comment within GitHub's comment size limit, saying what had to go. */

/** GitHub rejects comment bodies longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65536;
// Leaves room for the note, which lists at most ten section titles.
const MIN_LIMIT = 4096;
const MAX_LISTED_TITLES = 10;
/** Room left for closing a code fence cut open by truncation. */
const FENCE_ROOM = 8;

interface DetailsSection {
  start: number;
  end: number;
  title: string;
}

/**
 * Returns `markdown` unchanged when it fits within `limit` characters. Otherwise removes top-level
 * `<details>` sections, last first, until it fits; if it still does not fit, cuts the end at a line
 * boundary (closing an open code fence). A note at the end names what was removed.
 * Lengths are counted in UTF-16 code units, which is never less than GitHub's character count.
 */
export function fitComment(markdown: string, limit: number = GITHUB_COMMENT_LIMIT): string {
  if (!Number.isInteger(limit) || limit < MIN_LIMIT) {
    throw new RangeError(`limit must be an integer of at least ${MIN_LIMIT} characters, got ${limit}`);
  }
  if (markdown.length <= limit) return markdown;

  let text = markdown;
  const removed: string[] = [];
  const sections = findDetailsSections(markdown);
  for (let i = sections.length - 1; i >= 0; i--) {
    const section = sections[i]!;
    text = text.slice(0, section.start) + text.slice(section.end);
    removed.unshift(section.title);
    const candidate = text + shorteningNote(removed, 0, limit);
    if (candidate.length <= limit) return candidate;
  }

  const noteRoom = shorteningNote(removed, text.length, limit).length;
  for (let budget = limit - noteRoom; ; budget -= FENCE_ROOM) {
    let kept = cutAtLineBoundary(text, budget);
    const fence = openCodeFence(kept);
    if (fence) kept += `\n${fence}`;
    const result = kept + shorteningNote(removed, text.length - kept.length, limit);
    if (result.length <= limit) return result;
  }
}

function findDetailsSections(markdown: string): DetailsSection[] {
  const sections: DetailsSection[] = [];
  const tag = /<(\/?)details\b[^>]*>/gi;
  let depth = 0;
  let start = 0;
  for (let match = tag.exec(markdown); match; match = tag.exec(markdown)) {
    if (match[1] === "") {
      if (depth === 0) start = match.index;
      depth++;
    } else if (depth > 0) {
      depth--;
      if (depth === 0) {
        const end = match.index + match[0].length;
        sections.push({ start, end, title: summaryTitle(markdown.slice(start, end)) });
      }
    }
  }
  return sections;
}

function summaryTitle(section: string): string {
  const summary = /<summary\b[^>]*>([\s\S]*?)<\/summary>/i.exec(section)?.[1] ?? "";
  const plain = summary
    .replace(/<[^>]*>/g, "")
    .replace(/\s+/g, " ")
    .trim();
  if (plain === "") return "untitled section";
  return plain.length > 80 ? `${plain.slice(0, 79)}…` : plain;
}

function shorteningNote(removed: string[], truncatedChars: number, limit: number): string {
  const parts: string[] = [];
  if (removed.length > 0) {
    const listed = removed.slice(0, MAX_LISTED_TITLES).map((t) => `"${t}"`);
    const more = removed.length > MAX_LISTED_TITLES ? ` and ${removed.length - MAX_LISTED_TITLES} more` : "";
    parts.push(`removed ${removed.length} collapsible section(s): ${listed.join(", ")}${more}`);
  }
  if (truncatedChars > 0) parts.push(`cut the last ${truncatedChars.toLocaleString("en-US")} characters`);
  return (
    `\n\n---\n> [!NOTE]\n> This report was shortened to stay within GitHub's comment limit of ` +
    `${limit.toLocaleString("en-US")} characters: ${parts.join("; ")}. The workflow run has the full figures.\n`
  );
}

function cutAtLineBoundary(text: string, budget: number): string {
  let cut = Math.max(0, budget);
  const newline = text.lastIndexOf("\n", cut);
  if (newline > cut / 2) cut = newline;
  // Never split a surrogate pair.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return text.slice(0, cut);
}

/** The fence of a code block left open at the end of `text`, if any. */
function openCodeFence(text: string): string | undefined {
  let open: string | undefined;
  for (const [, fence] of text.matchAll(/^ {0,3}(`{3,}|~{3,})/gm)) {
    if (open === undefined) open = fence;
    else if (fence!.startsWith(open)) open = undefined;
  }
  return open;
}
