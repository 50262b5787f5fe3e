/** Maps a field path of a parsed YAML document back to its line and column in the source. */
import { type Document, isMap, isNode, isPair, isScalar, isSeq, type LineCounter, type Node } from "yaml";

export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Position of the value at `path`, or of its key when `atKey` is set. A path that does not exist
 * (a missing field) maps to the closest existing ancestor.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  atKey = false,
): SourcePosition {
  let node: Node | null = isNode(doc.contents) ? doc.contents : null;
  let offset = node?.range?.[0] ?? 0;
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      const key = pair.key as Node;
      const value = isNode(pair.value) ? pair.value : null;
      offset = (last && atKey) || value === null ? (key.range?.[0] ?? offset) : (value.range?.[0] ?? offset);
      node = value;
    } else if (isSeq(node) && typeof segment === "number" && isNode(node.items[segment])) {
      node = node.items[segment] as Node;
      offset = node.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
