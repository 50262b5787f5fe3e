import { createServer } from "node:http";
import { parseSpec } from "/work/main/src/spec/index.ts";
import { runBenchmark } from "/work/main/src/benchmark/run.ts";
const server = createServer((req, res) => { req.resume(); req.on("end", () => setTimeout(() => { res.writeHead(200, {"content-type":"application/json"}); res.end('{"items":[[1,2,3]]}'); }, 5)); });
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const port = (server.address() as any).port;
const text = `name: tiny
workload: { catalogSize: 1000, sessionLengths: { exponent: 2.4 }, itemPopularity: { exponent: 1.7 } }
load: { targetRate: 50, rampUp: 1s, hold: 2s, warmup: 500ms }
constraints: { p90: 50ms, window: 2s }
target: http://127.0.0.1:${port}
repetitions: 1
`;
const spec = await parseSpec(text, { file: "tiny.yml" });
const t = Date.now();
const out = await runBenchmark({ spec, runId: "x", outDir: "/tmp/act/out" });
console.log(Date.now() - t, out.variants[0]!.verdict, JSON.stringify(out.variants[0]!.results.analysis.combined), out.variants[0]!.results.environment.target);
server.close();
