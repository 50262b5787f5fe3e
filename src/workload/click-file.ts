import { open } from "node:fs/promises";
import { createInterface } from "node:readline";

/** What a click file says about item popularity and, for a click log, session lengths. */
export interface ClickStatistics {
  path: string;
  kind: "click-log" | "item-counts";
  /** The columns read: session and item ids for a click log, the count column otherwise. */
  columns: { session: string; item: string } | { count: string };
  /** Clicks per item, for items with at least one click. */
  itemCounts: Float64Array;
  /** Clicks per session; only for a click log. */
  sessionLengths?: Float64Array;
  /** Rows of a count column holding 0, left out of the counts. */
  zeroCountRows: number;
}

export interface ClickFileOptions {
  /** The column of per-item click counts; otherwise detected from the header. */
  column?: string;
}

const SESSION_NAMES = new Set(["sessionid", "session"]);
const ITEM_NAMES = new Set(["itemid", "item"]);
/** Row-index columns that pandas and similar tools write; never a count column. */
const INDEX_NAMES = new Set(["", "index", "unnamed0", "id"]);
const DELIMITERS = [",", "\t", ";"];

function normalise(name: string): string {
  return name.toLowerCase().replace(/[\s_:-]/g, "");
}

function splitLine(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((field) => field.trim().replace(/^"(.*)"$/, "$1"));
}

function detectDelimiter(header: string): string {
  let best = ",";
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = header.split(delimiter).length - 1;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

function listColumns(columns: string[]): string {
  return columns.map((column) => JSON.stringify(column)).join(", ");
}

/** Grows a Float64Array by doubling, so that millions of counts take 8 bytes each. */
class CountBuffer {
  private values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  toArray(): Float64Array {
    return this.values.slice(0, this.length);
  }
}

type Layout = { kind: "click-log"; session: number; item: number } | { kind: "item-counts"; count: number };

function chooseLayout(
  path: string,
  header: string[],
  firstRow: string[] | undefined,
  options: ClickFileOptions,
): Layout {
  if (options.column !== undefined) {
    const count = header.indexOf(options.column);
    if (count < 0) {
      throw new Error(
        `column ${JSON.stringify(options.column)} not found in ${path}; columns found: ${listColumns(header)}`,
      );
    }
    return { kind: "item-counts", count };
  }
  const session = header.findIndex((name) => SESSION_NAMES.has(normalise(name)));
  const item = header.findIndex((name) => ITEM_NAMES.has(normalise(name)));
  if (session >= 0 && item >= 0) return { kind: "click-log", session, item };
  const numeric = header
    .map((name, index) => ({ name, index }))
    .filter(
      ({ name, index }) =>
        !INDEX_NAMES.has(normalise(name)) && firstRow !== undefined && isNumber(firstRow[index]),
    );
  if (numeric.length === 1) return { kind: "item-counts", count: numeric[0]!.index };
  throw new Error(
    `cannot tell how to read ${path}: expected session and item id columns (e.g. session_id, item_id) or a single ` +
      `numeric count column, found ${listColumns(header)}; name the count column with the column option`,
  );
}

function isNumber(field: string | undefined): boolean {
  return field !== undefined && field !== "" && Number.isFinite(Number(field));
}

/**
 * Streams a CSV click file with a header: either a click log (one row per click, session and item id
 * columns) or one row per item with a click-count column.
 */
export async function readClickFile(path: string, options: ClickFileOptions = {}): Promise<ClickStatistics> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new Error(`click file not found: ${path}`);
    throw new Error(`cannot open click file ${path}: ${(error as Error).message}`);
  }
  const lines = createInterface({
    input: handle.createReadStream({ encoding: "utf8" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  try {
    let lineNumber = 0;
    let header: string[] | undefined;
    let delimiter = ",";
    let layout: Layout | undefined;
    const counts = new CountBuffer();
    const sessions = new Map<string, number>();
    const items = new Map<string, number>();
    let zeroCountRows = 0;
    for await (const rawLine of lines) {
      lineNumber++;
      const line = lineNumber === 1 ? rawLine.replace(/^\uFEFF/, "") : rawLine;
      if (line.trim() === "") continue;
      if (header === undefined) {
        delimiter = detectDelimiter(line);
        header = splitLine(line, delimiter);
        continue;
      }
      const fields = splitLine(line, delimiter);
      layout ??= chooseLayout(path, header, fields, options);
      if (fields.length < header.length) {
        throw new Error(
          `${path}:${lineNumber}: expected ${header.length} fields as in the header, got ${fields.length}`,
        );
      }
      if (layout.kind === "click-log") {
        const session = fields[layout.session]!;
        const item = fields[layout.item]!;
        sessions.set(session, (sessions.get(session) ?? 0) + 1);
        items.set(item, (items.get(item) ?? 0) + 1);
        continue;
      }
      const field = fields[layout.count]!;
      const count = Number(field);
      if (field === "" || !Number.isSafeInteger(count) || count < 0) {
        throw new Error(
          `${path}:${lineNumber}: column ${JSON.stringify(header[layout.count])} must hold a whole number of clicks >= 0, got ${JSON.stringify(field)}`,
        );
      }
      if (count === 0) zeroCountRows++;
      else counts.push(count);
    }
    if (header === undefined) throw new Error(`${path} is empty: expected a header line and rows of clicks`);
    layout ??= chooseLayout(path, header, undefined, options);
    if (layout.kind === "click-log") {
      if (items.size === 0) throw new Error(`${path} holds a header but no clicks`);
      return {
        path,
        kind: "click-log",
        columns: { session: header[layout.session]!, item: header[layout.item]! },
        itemCounts: Float64Array.from(items.values()),
        sessionLengths: Float64Array.from(sessions.values()),
        zeroCountRows: 0,
      };
    }
    if (counts.length === 0)
      throw new Error(
        `${path} holds no positive click count in column ${JSON.stringify(header[layout.count])}`,
      );
    return {
      path,
      kind: "item-counts",
      columns: { count: header[layout.count]! },
      itemCounts: counts.toArray(),
      zeroCountRows,
    };
  } finally {
    lines.close();
    await handle.close();
  }
}
