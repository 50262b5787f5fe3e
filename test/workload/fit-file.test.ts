import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { fitClickFile } from "../../src/workload/fit-file.ts";
import { renderFitReport } from "../../src/workload/fit-report.ts";
import { createSessionSource } from "../../src/workload/sessions.ts";

const SHARED_COUNTS = fileURLToPath(new URL("../../../shared/data/item-click-counts.csv", import.meta.url));
const directory = mkdtempSync(join(tmpdir(), "etude-fit-"));
after(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
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
    const rows = ["SessionId;Timestamp;ItemId"];
    let clicks = 0;
    for (let session = 0; session < 20_000; session++) {
      const { id, items } = source.next();
      for (const item of items) rows.push(`s${id};2024-01-01T00:00:00Z;"i${item}"`);
      clicks += items.length;
    }
    const report = await fitClickFile(file("clicks.csv", `${rows.join("\n")}\n`));
    assert.equal(report.source.kind, "click-log");
    assert.deepEqual(report.source.columns, { session: "SessionId", item: "ItemId" });
    assert.equal(report.source.sessions, 20_000);
    assert.equal(report.source.clicks, clicks);
    assert.ok(
      Math.abs(report.sessionLengths!.exponent - 2.4) < 0.05,
      `fitted ${report.sessionLengths!.exponent}`,
    );
    assert.equal(report.workload.sessionLengths?.xmin, 1);
    assert.match(renderFitReport(report), /sessionLengths: \{ exponent: 2\.\d{1,3}, xmin: 1 \}/);
  });
});

describe("fitClickFile on a count column", () => {
  it("fits the shared e-commerce counts the same way on every run", async () => {
    const report = await fitClickFile(SHARED_COUNTS);
    assert.deepEqual(report.source.columns, { count: "qty" });
    assert.equal(report.source.items, 338_417);
    assert.equal(report.source.clicks, 1_211_475);
    assert.equal(report.itemPopularity.xmin, 1);
    assert.ok(
      Math.abs(report.itemPopularity.exponent - 1.868) < 0.001,
      `fitted ${report.itemPopularity.exponent}`,
    );
    assert.ok(report.itemPopularityTail.xmin > 1);
    assert.ok(report.itemPopularityTail.ks < report.itemPopularity.ks);
    assert.deepEqual(report.workload.itemPopularity, {
      kind: "powerlaw",
      exponent: 1.868,
      xmin: 1,
      max: 2336,
    });
    assert.ok(Math.abs(report.realism.topShare.real - 0.1895) < 0.0001);
    assert.ok(report.realism.untruncatedTopShare > report.realism.topShare.synthetic);
    assert.deepEqual(await fitClickFile(SHARED_COUNTS), report);

    const text = renderFitReport(report);
    assert.match(text, /clicks on the top 1% of items: real 19\.0%, synthetic \d+\.\d%/);
    assert.match(text, /workload:\n {2}itemPopularity: \{ exponent: 1\.868, xmin: 1, max: 2336 \}\n$/);
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
