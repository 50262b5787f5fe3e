import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parseSpec } from "../../src/spec/load.ts";
import type { PowerLawWithBody } from "../../src/spec/types.ts";
import { fitClickFile } from "../../src/workload/fit-file.ts";
import { renderFitReport } from "../../src/workload/fit-report.ts";
import { createSessionSource } from "../../src/workload/sessions.ts";
import type { SessionSource } from "../../src/workload/types.ts";

const SHARED_COUNTS = fileURLToPath(new URL("../../../shared/data/item-click-counts.csv", import.meta.url));
const directory = mkdtempSync(join(tmpdir(), "etude-fit-"));
after(() => rmSync(directory, { recursive: true, force: true }));

const sharedSkip = existsSync(SHARED_COUNTS) ? false : `${SHARED_COUNTS} is missing`;

function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

/** Writes the first `sessions` sessions of a source as a click log. */
function clickLog(name: string, source: SessionSource, sessions: number): { path: string; clicks: number } {
  const rows = ["SessionId;Timestamp;ItemId"];
  let clicks = 0;
  for (let session = 0; session < sessions; session++) {
    const { id, items } = source.next();
    for (const item of items) rows.push(`s${id};2024-01-01T00:00:00Z;"i${item}"`);
    clicks += items.length;
  }
  return { path: file(name, `${rows.join("\n")}\n`), clicks };
}

describe("fitClickFile on a click log", () => {
  it("fits session lengths and item counts from session and item id columns", async () => {
    const source = createSessionSource({
      catalogSize: 5000,
      sessionLengths: { kind: "powerlaw", exponent: 2.4, xmin: 1 },
      itemPopularity: { kind: "powerlaw", exponent: 2, xmin: 1, max: 500 },
      topK: 21,
      maxSessionLength: 10_000,
      seed: 9,
    });
    const { path, clicks } = clickLog("clicks.csv", source, 20_000);
    const report = await fitClickFile(path);
    assert.equal(report.source.kind, "click-log");
    assert.deepEqual(report.source.columns, { session: "SessionId", item: "ItemId" });
    assert.equal(report.source.sessions, 20_000);
    assert.equal(report.source.clicks, clicks);
    const lengths = report.sessionLengths!;
    assert.ok(Math.abs(lengths.wholeRange.exponent - 2.4) < 0.05, `fitted ${lengths.wholeRange.exponent}`);
    assert.equal(lengths.recommended, "powerlaw", `tail from x_min = ${lengths.tail.xmin}`);
    assert.deepEqual(report.workload.sessionLengths, lengths.powerLaw.distribution);
    assert.match(renderFitReport(report), /sessionLengths: \{ exponent: 2\.\d{1,3}, xmin: 1 \}/);
  });

  it("gives session lengths with a body that is no power law the power-law tail over that body", async () => {
    const sessionLengths: PowerLawWithBody = {
      kind: "powerlaw-tail",
      body: [0.3, 0.1, 0.25, 0.05, 0.05],
      tail: { exponent: 2.5, xmin: 6 },
    };
    const source = createSessionSource({
      catalogSize: 2000,
      sessionLengths,
      itemPopularity: { kind: "powerlaw", exponent: 2, xmin: 1, max: 200 },
      topK: 21,
      maxSessionLength: 5000,
      seed: 10,
    });
    const report = await fitClickFile(clickLog("tail-clicks.csv", source, 30_000).path);
    const lengths = report.sessionLengths!;
    assert.equal(lengths.recommended, "powerlaw-tail");
    assert.ok(lengths.tail.xmin >= 6 && lengths.tail.xmin <= 9, `x_min ${lengths.tail.xmin}`);
    assert.ok(Math.abs(lengths.tail.exponent - 2.5) < 0.1, `fitted ${lengths.tail.exponent}`);
    const fitted = report.workload.sessionLengths as PowerLawWithBody;
    assert.equal(fitted.kind, "powerlaw-tail");
    assert.equal(fitted.tail.max, undefined, "session lengths are left to maxSessionLength");
    assert.ok(Math.abs(fitted.body[2]! - 0.25) < 0.01, `P(3) = ${fitted.body[2]}`);
    assert.ok(lengths.powerLawTail!.ks < lengths.powerLaw.ks);
  });
});

describe("fitClickFile on a count column", () => {
  it("fits the shared e-commerce counts the same way on every run", { skip: sharedSkip }, async () => {
    const report = await fitClickFile(SHARED_COUNTS);
    assert.deepEqual(report.source.columns, { count: "qty" });
    assert.equal(report.source.items, 338_417);
    assert.equal(report.source.clicks, 1_211_475);
    const items = report.itemPopularity;
    assert.ok(Math.abs(items.wholeRange.exponent - 1.868) < 0.001, `fitted ${items.wholeRange.exponent}`);
    assert.equal(items.tail.xmin, 71);
    assert.ok(Math.abs(items.tail.exponent - 2.994) < 0.001, `fitted ${items.tail.exponent}`);
    assert.deepEqual(items.powerLaw.distribution, { kind: "powerlaw", exponent: 1.868, xmin: 1, max: 2336 });
    assert.equal(items.recommended, "powerlaw-tail");
    const model = report.workload.itemPopularity as PowerLawWithBody;
    assert.deepEqual(model, items.powerLawTail!.distribution);
    assert.deepEqual(model.tail, { exponent: 2.994, xmin: 71, max: 2336 });
    assert.equal(model.body.length, 70);
    assert.deepEqual(await fitClickFile(SHARED_COUNTS), report);
  });

  it("makes the recommended model's top-1% share of clicks that of the real log, within 2 points", {
    skip: sharedSkip,
  }, async () => {
    const report = await fitClickFile(SHARED_COUNTS);
    const { powerLaw, powerLawTail } = report.itemPopularity;
    const share = powerLawTail!.realism.topShare;
    assert.ok(Math.abs(share.real - 0.1895) < 0.0001, `real ${share.real}`);
    assert.ok(
      Math.abs(share.synthetic - share.real) < 0.02,
      `synthetic ${share.synthetic}, real ${share.real}`,
    );
    assert.ok(powerLaw.realism.topShare.synthetic > 0.4, "the whole-range power law concentrates clicks");
    assert.ok(
      powerLawTail!.realism.clickedItems.synthetic > powerLaw.realism.clickedItems.synthetic,
      "more distinct items are clicked, as in the real log",
    );
    assert.ok(powerLawTail!.ks < 0.001, `whole-range KS ${powerLawTail!.ks}`);

    const text = renderFitReport(report);
    assert.match(
      text,
      /clicks on the top 1% of items: real 19\.0%; power law 50\.\d%, power-law tail over the body 1\d\.\d%/,
    );
    assert.match(text, /recommended: power-law tail over the body/);
    const snippet = text.slice(text.indexOf("workload:\n"));
    const spec = await parseSpec(
      `${snippet}  catalogSize: 1M\n  sessionLengths: { exponent: 2.4 }\nload: { targetRate: 1k }\n`,
      { file: "etude.yml", env: {} },
    );
    assert.deepEqual(
      spec.workload.itemPopularity,
      report.workload.itemPopularity,
      "the snippet pastes into a spec",
    );
  });

  it("uses the named column, leaves zero counts out and counts them", async () => {
    const rows = ["item,views,clicks"];
    for (let item = 0; item < 400; item++)
      rows.push(`${item},${item * 3},${item % 7 === 0 ? 0 : 1 + (item % 13)}`);
    const report = await fitClickFile(file("named.csv", rows.join("\n")), { column: "clicks" });
    assert.deepEqual(report.source.columns, { count: "clicks" });
    assert.equal(report.source.zeroCountRows, 58);
    assert.equal(report.source.items, 342);
  });
});

describe("fitClickFile errors", () => {
  it("names a missing file", async () => {
    await assert.rejects(fitClickFile(join(directory, "absent.csv")), /click file not found: .*absent\.csv/);
  });

  it("names a missing column and the columns found", async () => {
    await assert.rejects(
      fitClickFile(file("columns.csv", ",qty\n0,1\n"), { column: "clicks" }),
      /column "clicks" not found in .*columns\.csv; columns found: "", "qty"/,
    );
  });

  it("names the line and value of a non-numeric count", async () => {
    await assert.rejects(
      fitClickFile(file("bad.csv", ",qty\n0,1\n1,2\n2,many\n")),
      /bad\.csv:4: column "qty" must hold a whole number of clicks >= 0, got "many"/,
    );
  });

  it("asks for a column when the layout is ambiguous", async () => {
    await assert.rejects(
      fitClickFile(file("ambiguous.csv", "views,clicks\n3,1\n")),
      /cannot tell how to read .*found "views", "clicks"; name the count column with the column option/,
    );
  });
});
