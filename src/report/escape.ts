/**
 * Makes untrusted text (branch names, image tags, anything from the pull request) safe to place
 * in GitHub-flavoured markdown, including table cells: it renders as the literal text, cannot
 * open markup, HTML or our hidden markers, and pings nobody.
 */

const ZERO_WIDTH_SPACE = "&#8203;";

const REPLACEMENTS: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
};

/**
 * Escapes `text` for use as inline markdown outside code spans. Line breaks become spaces so the
 * text cannot end a table row; a zero-width space breaks `@mention`, `#123` and `GH-123` links.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n\t\v\f\u2028\u2029]+/g, " ")
    .replace(/[&<>]|[\\|*_`[\]~$#!]|@(?=[A-Za-z0-9])|GH-(?=\d)/gi, (match, offset: number, whole: string) => {
      const entity = REPLACEMENTS[match];
      if (entity !== undefined) return entity;
      if (match === "@") return `@${ZERO_WIDTH_SPACE}`;
      if (match.length === 3) return `${match.slice(0, 2)}${ZERO_WIDTH_SPACE}-`;
      if (match === "#" && /\d/.test(whole.charAt(offset + 1))) return `#${ZERO_WIDTH_SPACE}`;
      return `\\${match}`;
    });
}

/** Escapes text for SVG/XML character data and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
