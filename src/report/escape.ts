/**
 * Makes text from outside (spec names, URLs, image tags, error messages) inert in GitHub markdown:
 * no HTML, no table breaks, no code spans, links or emphasis, and no @mentions or #references that
 * would notify people or link issues.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n|\r/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]()|~#!]/g, "\\$&")
    .replace(/@/g, "@\u200b");
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
