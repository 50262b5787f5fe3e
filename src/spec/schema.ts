/**
 * The zod source of the user-facing spec. It validates one field at a time and converts units; the
 * defaults that depend on other sections, `fitFrom` and the cross-section checks live in `normalise.ts`.
 * `scripts/generate-schema.ts` derives the editor JSON Schema from the input side of `specSchema`.
 */
import { parseArgsStringToArgv as splitCommandLine } from "string-argv";
import { z } from "zod";
import { workloadProblems } from "./checks.ts";
import {
  count,
  duration,
  exactlyOneKey,
  flag,
  fraction,
  httpUrl,
  isHttpUrl,
  oneOf,
  plainNumber,
  show,
  stringMap,
  text,
} from "./fields.ts";
import { kubernetesTarget, quantity, referenceModelFields, tolerations } from "./kubernetes.ts";
import { WORKLOAD_PRESETS } from "./presets.ts";
import type {
  Constraints,
  CountDistribution,
  MatrixTarget,
  Percentile,
  ProtocolSpec,
  RegressionSpec,
  WorkloadPreset,
  WorkloadSpec,
} from "./types.ts";

/** The exponent of a discrete power law; `example` shows a typical value in the error. */
function powerLawExponent(example: string, description: string) {
  return plainNumber(
    { min: 1, minExclusive: true, what: `a discrete power law needs an exponent above 1, e.g. ${example}` },
    description,
  );
}

/** Where a law is truncated (renormalised, no mass piled on the cap). */
function truncation(description: string) {
  return plainNumber(
    { min: 1, integer: true, what: "max is a whole number >= xmin" },
    description,
  ).optional();
}

const discretePowerLaw = z
  .strictObject({
    exponent: powerLawExponent("2.4", "Exponent alpha of P(x) ∝ x^-alpha; above 1."),
    xmin: plainNumber(
      { min: 1, integer: true, what: "xmin is a whole number >= 1" },
      "Smallest value of the power law; a whole number >= 1.",
    ).prefault(1),
    max: truncation("Largest value drawn; the law is truncated below it. Default: unbounded."),
  })
  .meta({ description: "Discrete power law P(x) ∝ x^-exponent for xmin <= x (<= max)." })
  .transform(
    (law): CountDistribution => ({
      kind: "powerlaw",
      exponent: law.exponent,
      xmin: law.xmin,
      ...(law.max === undefined ? {} : { max: law.max }),
    }),
  );

const powerFunction = z
  .strictObject({
    a: plainNumber(
      { min: 0, minExclusive: true, what: "a is a shape parameter above 0, e.g. 0.07" },
      "Shape, above 0.",
    ),
    loc: plainNumber(
      { min: 0, what: "loc is a non-negative offset, e.g. 1" },
      "Offset (smallest value), >= 0.",
    ),
    scale: plainNumber({ min: 0, minExclusive: true, what: "scale is above 0, e.g. 277" }, "Width, above 0."),
  })
  .meta({ description: "SciPy's powerlaw(a, loc, scale): x = loc + scale * U^(1/a)." })
  .transform(
    (law): CountDistribution => ({ kind: "power-function", a: law.a, loc: law.loc, scale: law.scale }),
  );

const powerLawTail = z
  .strictObject({
    exponent: powerLawExponent("2.99", "Exponent alpha of P(x) ∝ x^-alpha from xmin on; above 1."),
    xmin: plainNumber(
      { min: 1, integer: true, what: "xmin is a whole number >= 1, one above the body's last value" },
      "First value of the power-law tail; the body gives P(x) below it.",
    ),
    max: truncation("Largest value drawn; the tail is truncated below it. Default: unbounded."),
  })
  .meta({ description: "The power law from xmin on; it holds 1 - sum(body) of the mass." });

const powerLawWithBody = z
  .strictObject({
    body: z
      .array(
        plainNumber(
          { min: 0, max: 1, what: "a body entry is a probability from 0 to 1" },
          "P(x) for one x below xmin.",
        ),
        { error: (issue) => `${show(issue.input)} is not a list; write P(1), P(2), ... up to P(xmin - 1)` },
      )
      .meta({ description: "Empirical P(x) for x = 1 .. tail.xmin - 1, in order; sums to less than 1." }),
    tail: powerLawTail,
  })
  .meta({
    description:
      "Power-law tail over an empirical body (Clauset, Shalizi and Newman): P(x) listed below xmin, a power law from xmin on.",
  })
  .transform(
    (law): CountDistribution => ({
      kind: "powerlaw-tail",
      body: law.body,
      tail: {
        exponent: law.tail.exponent,
        xmin: law.tail.xmin,
        ...(law.tail.max === undefined ? {} : { max: law.tail.max }),
      },
    }),
  );

const distribution = z.union([discretePowerLaw, powerFunction, powerLawWithBody], {
  error: (issue) =>
    `${show(issue.input)} is not a distribution; write { exponent: 2.4, xmin: 1 } (discrete power law), { a: 0.07, loc: 2, scale: 277 } (SciPy power function) or { body: [0.5, 0.2], tail: { exponent: 2.5, xmin: 3 } } (power-law tail over an empirical body)`,
});

const fitFrom = z
  .union(
    [
      text("give the path of a click-log file", "Click-log file, relative to the spec file."),
      z.strictObject({
        file: text("give the path of a click-log file", "Click-log file, relative to the spec file."),
        column: text("give the name of a column", "Column holding per-item click counts.").optional(),
      }),
    ],
    {
      error: (issue) =>
        `${show(issue.input)} is not a file; write a path or { file: counts.csv, column: qty }`,
    },
  )
  .meta({ description: "Fit the distributions to a real click log when loading the spec." })
  .transform((value) => (typeof value === "string" ? { file: value } : value));

export interface WorkloadInput extends Omit<WorkloadSpec, "sessionLengths" | "itemPopularity"> {
  sessionLengths?: CountDistribution;
  itemPopularity?: CountDistribution;
  fitFrom?: { file: string; column?: string };
}

const presetNames = Object.keys(WORKLOAD_PRESETS) as [WorkloadPreset, ...WorkloadPreset[]];

const workload = z
  .strictObject({
    catalogSize: count(
      {
        min: 2,
        max: 2 ** 32,
        integer: true,
        what: "the catalog holds a whole number of items from 2 to 2^32",
      },
      "Number of items in the catalog, e.g. 1M.",
    ),
    sessionLengths: distribution
      .optional()
      .meta({ description: "Distribution of session lengths (clicks)." }),
    itemPopularity: distribution.optional().meta({ description: "Distribution of per-item click counts." }),
    preset: oneOf(presetNames, "Both distributions from a real click log: bolcom or recsys15.").optional(),
    fitFrom: fitFrom.optional(),
    topK: count(
      { min: 1, integer: true, what: "topK is a whole number of recommendations >= 1" },
      "Recommendations per request.",
    ).prefault(21),
    maxSessionLength: count(
      { min: 1, integer: true, what: "maxSessionLength is a whole number of clicks >= 1" },
      "Longest session replayed; longer draws are cut.",
    ).prefault(50),
    seed: count(
      { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, what: "the seed is a whole number >= 0" },
      "Seed of the workload's random source.",
    ).prefault(1),
  })
  .meta({ description: "The synthetic click workload." })
  .superRefine((value, ctx) => {
    const sources = [
      value.preset !== undefined && "preset",
      value.fitFrom !== undefined && "fitFrom",
      value.itemPopularity !== undefined && "itemPopularity",
    ].filter((source) => source !== false);
    if (sources.length > 1) {
      ctx.addIssue({
        code: "custom",
        path: [sources[1]!],
        message: `${sources.join(" and ")} both define the item popularity; keep one`,
      });
      return;
    }
    if (value.preset !== undefined && value.sessionLengths !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["sessionLengths"],
        message: `preset ${value.preset} already defines the session lengths; remove sessionLengths or preset`,
      });
      return;
    }
    if (sources.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message:
          value.sessionLengths === undefined
            ? "the workload needs distributions: give sessionLengths and itemPopularity, or preset: bolcom | recsys15, or fitFrom: <click-log file>"
            : "itemPopularity is missing; write e.g. itemPopularity: { exponent: 1.71 }, or fit it with fitFrom: <click-log file>",
      });
      return;
    }
    if (sources[0] === "itemPopularity" && value.sessionLengths === undefined) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: "sessionLengths is missing; write e.g. sessionLengths: { exponent: 2.4, xmin: 1 }",
      });
      return;
    }
    const resolved = resolveDeclaredWorkload(value);
    if (resolved) {
      for (const problem of workloadProblems(resolved)) {
        ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
      }
    }
  });

/** The workload with its distributions, when known without reading a file. */
export function resolveDeclaredWorkload(value: WorkloadInput): WorkloadSpec | undefined {
  const { fitFrom: _fitFrom, ...rest } = value;
  if (value.preset !== undefined) return { ...rest, ...WORKLOAD_PRESETS[value.preset] };
  if (value.sessionLengths !== undefined && value.itemPopularity !== undefined) {
    return { ...rest, sessionLengths: value.sessionLengths, itemPopularity: value.itemPopularity };
  }
  return undefined;
}

const load = z
  .strictObject({
    targetRate: count(
      {
        min: 0,
        minExclusive: true,
        what: "the target rate is a number of requests per second above 0, e.g. 1k",
      },
      "Request rate reached at the end of the ramp, requests per second.",
    ),
    rampUp: duration(
      { min: 0, minExclusive: true, what: "the ramp lasts longer than 0, e.g. 60s" },
      "Time to ramp from 0 to the target rate.",
    ).prefault("60s"),
    hold: duration(
      { min: 0, what: "hold is a duration, e.g. 30s" },
      "Time held at the target rate.",
    ).prefault("0s"),
    warmup: duration(
      { min: 0, what: "warmup is a duration, e.g. 5s" },
      "Warm-up before the ramp, excluded from all statistics.",
    ).prefault("5s"),
    warmupRate: count(
      { min: 0, minExclusive: true, what: "the warm-up rate is above 0 requests per second" },
      "Request rate of the warm-up; default min(10, targetRate).",
    ).optional(),
    requestTimeout: duration(
      { min: 0, minExclusive: true, what: "the timeout is longer than 0, e.g. 5s" },
      "A request without a response after this long counts as failed.",
    ).prefault("5s"),
    connections: z
      .union(
        [
          z.literal("auto"),
          count(
            { min: 1, integer: true, what: "connections is auto or a whole number >= 1" },
            "Connection count.",
          ),
        ],
        { error: (issue) => `${show(issue.input)} is not valid; write auto or a number of connections` },
      )
      .meta({ description: "HTTP connections to the target: auto or a count." })
      .prefault("auto"),
    arrival: oneOf(["uniform", "poisson"], "Spacing of requests within a second.").prefault("uniform"),
  })
  .meta({ description: "The request rate over time." });

const PERCENTILES: readonly Percentile[] = ["p50", "p90", "p99", "p99.9"];

function latencyBudget(percentile: Percentile) {
  return duration(
    { min: 0, minExclusive: true, what: "a latency budget is a duration above 0, e.g. 50ms" },
    `Budget for the ${percentile.slice(1)}th percentile of response time.`,
  ).optional();
}

const constraints = z
  .strictObject({
    p50: latencyBudget("p50"),
    p90: latencyBudget("p90"),
    p99: latencyBudget("p99"),
    "p99.9": latencyBudget("p99.9"),
    minThroughput: count(
      {
        min: 0,
        minExclusive: true,
        what: "minThroughput is a number of requests per second above 0, e.g. 1k",
      },
      "Lowest acceptable sustained throughput; default: the target rate.",
    ).optional(),
    maxErrorRate: fraction(
      { min: 0, max: 1, what: "use a share between 0 and 1" },
      "Largest acceptable share of failed requests, e.g. 1% or 0.01.",
    ).prefault("1%"),
    window: duration(
      { min: 0, minExclusive: true, what: "the window is a duration above 0, e.g. 5s" },
      "Sliding window that decides the maximum sustainable throughput.",
    ).prefault("5s"),
  })
  .meta({ description: "Budgets the benchmark enforces." })
  .transform(
    (value): Constraints => ({
      latencyMs: Object.fromEntries(
        PERCENTILES.flatMap((percentile) => {
          const budget = value[percentile];
          return budget === undefined ? [] : [[percentile, budget]];
        }),
      ),
      ...(value.minThroughput === undefined ? {} : { minThroughput: value.minThroughput }),
      maxErrorRate: value.maxErrorRate,
      windowMs: value.window,
    }),
  );

/** A reference target before its catalog size defaults to the workload's. */
export type TargetInput = MatrixTarget;

const reference = z
  .strictObject({
    ...referenceModelFields,
    workers: count(
      {
        min: 0,
        integer: true,
        what: "workers is a whole number, 0 for inference on the server's main thread",
      },
      "Inference worker threads; 0 runs inference on the server's main thread.",
    ).prefault(0),
    port: count(
      { min: 0, max: 65535, integer: true, what: "the port is 0 (any free port) to 65535" },
      "0: any free port.",
    ).prefault(0),
  })
  .meta({ description: "The built-in reference model server." });

const command = z
  .strictObject({
    run: z
      .union(
        [
          text("write the command line", "Command line."),
          z
            .array(z.string())
            .min(1, { error: "an empty list is not a command; write e.g. [python, serve.py]" }),
        ],
        {
          error: (issue) =>
            `${show(issue.input)} is not a command; write a command line or a list such as [python, serve.py]`,
        },
      )
      .meta({ description: "Command that starts the model server: a command line or an argument list." }),
    env: stringMap("Extra environment variables of the server process.").prefault({}),
    url: httpUrl("Base URL the server answers on."),
    readiness: httpUrl("URL that answers 2xx once the server is ready; default url + /ping.").optional(),
    readinessTimeout: duration(
      { min: 0, minExclusive: true, what: "the readiness timeout is a duration above 0, e.g. 5m" },
      "Longest wait for readiness.",
    ).prefault("5m"),
  })
  .meta({ description: "A model server started as a local process." });

const targetObject = z
  .strictObject({
    url: httpUrl("A running model server.").optional(),
    reference: reference.optional(),
    command: command.optional(),
    kubernetes: kubernetesTarget.optional(),
  })
  .superRefine((value, ctx) => exactlyOneKey(value, ["url", "reference", "command", "kubernetes"], ctx));

const target = z
  .union(
    [
      text("write reference, a URL, or a mapping", "reference, or the URL of a running model server.").check(
        (ctx) => {
          if (ctx.value !== "reference" && !isHttpUrl(ctx.value)) {
            ctx.issues.push({
              code: "custom",
              message: `${show(ctx.value)} is neither reference nor an http:// or https:// URL`,
              input: ctx.value,
            });
          }
        },
      ),
      targetObject,
    ],
    {
      error: (issue) =>
        `${show(issue.input)} is not a target; write reference, a URL, or { url | reference | command | kubernetes: ... }`,
    },
  )
  .meta({ description: "The model server under test." })
  .prefault("reference")
  .transform((value): TargetInput => {
    if (value === "reference") return { kind: "reference", model: "synthetic", workers: 0, port: 0 };
    if (typeof value === "string") return { kind: "url", url: value };
    if (value.url !== undefined) return { kind: "url", url: value.url };
    if (value.reference !== undefined) return { kind: "reference", ...value.reference };
    if (value.kubernetes !== undefined) return { kind: "kubernetes", kubernetes: value.kubernetes };
    const { run, env, url, readiness, readinessTimeout } = value.command!;
    const [program, ...args] = typeof run === "string" ? splitCommandLine(run) : run;
    return {
      kind: "command",
      command: program!,
      args,
      env,
      url,
      readinessUrl: readiness ?? new URL("ping", url.endsWith("/") ? url : `${url}/`).href,
      readinessTimeoutMs: readinessTimeout,
    };
  });

const modelName = z.strictObject({ model: text("give the model name", "Model name on the server.") });

const template = z
  .strictObject({
    path: text("write a path starting with /", "Request path, e.g. /predict.").check((ctx) => {
      if (!ctx.value.startsWith("/")) {
        ctx.issues.push({
          code: "custom",
          message: `${show(ctx.value)} does not start with /`,
          input: ctx.value,
        });
      }
    }),
    method: oneOf(["POST", "PUT"], "HTTP method.").prefault("POST"),
    headers: stringMap("Extra request headers.").prefault({}),
    body: text(
      "write a JSON body with {{items}}",
      "JSON body; {{items}} becomes the session's item ids.",
    ).check((ctx) => {
      const problem = templateBodyProblem(ctx.value);
      if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
    }),
    items: text(
      "write a JSON pointer such as /recommendations",
      "JSON pointer to the returned item ids.",
    ).check((ctx) => {
      if (!/^(\/([^~]|~[01])*)*$/.test(ctx.value)) {
        ctx.issues.push({
          code: "custom",
          message: `${show(ctx.value)} is not a JSON pointer; write e.g. /recommendations or /data/0/items`,
          input: ctx.value,
        });
      }
    }),
  })
  .meta({ description: "Any JSON-over-HTTP model server." });

function templateBodyProblem(body: string): string | undefined {
  if (!body.includes("{{items}}")) return `${show(body)} has no {{items}} placeholder for the item ids`;
  try {
    JSON.parse(body.replaceAll("{{items}}", "[1, 2, 3]"));
    return undefined;
  } catch {
    return `${show(body)} is not JSON once {{items}} becomes an array such as [1, 2, 3]`;
  }
}

/** A TorchServe protocol whose model name may still default to the spec name. */
export type ProtocolInput =
  | Exclude<ProtocolSpec, { kind: "torchserve" }>
  | { kind: "torchserve"; model?: string };

const protocol = z
  .union(
    [
      oneOf(["etude", "torchserve"], "etude, or torchserve with the spec name as model."),
      z
        .strictObject({
          torchserve: modelName.optional(),
          "kserve-v2": modelName.optional(),
          template: template.optional(),
        })
        .superRefine((value, ctx) => exactlyOneKey(value, ["torchserve", "kserve-v2", "template"], ctx)),
    ],
    {
      error: (issue) =>
        `${show(issue.input)} is not a protocol; write etude, torchserve, or { torchserve | kserve-v2 | template: ... }`,
    },
  )
  .meta({ description: "How requests and responses are encoded." })
  .prefault("etude")
  .transform((value): ProtocolInput => {
    if (value === "etude") return { kind: "etude" };
    if (value === "torchserve") return { kind: "torchserve" };
    if (value.torchserve !== undefined) return { kind: "torchserve", model: value.torchserve.model };
    if (value["kserve-v2"] !== undefined) return { kind: "kserve-v2", model: value["kserve-v2"].model };
    const { items, ...request } = value.template!;
    return { kind: "template", ...request, itemsPointer: items };
  });

const regression = z
  .strictObject({
    minRelative: fraction(
      { min: 0, max: 1, what: "use a share between 0 and 1" },
      "Changes smaller than this share of the base value never fail.",
    ).prefault("5%"),
    minLatency: duration(
      { min: 0, what: "use a duration such as 1ms" },
      "Latency changes smaller than this never fail.",
    ).prefault("1ms"),
    minThroughput: count(
      { min: 0, what: "use a number of requests per second" },
      "Throughput changes smaller than this never fail.",
    ).prefault(0),
    confidence: fraction(
      { min: 0, max: 1, what: "the confidence level is strictly between 0 and 1, e.g. 0.95" },
      "Confidence level of the bootstrap interval.",
    )
      .check((ctx) => {
        if (ctx.value === 0 || ctx.value === 1) {
          ctx.issues.push({
            code: "custom",
            message: `${ctx.value} is not strictly between 0 and 1; write e.g. 0.95 or 99%`,
            input: ctx.value,
          });
        }
      })
      .prefault(0.95),
  })
  .meta({ description: "When a difference from the base branch counts as a regression." })
  .transform(
    (value): RegressionSpec => ({
      minRelative: value.minRelative,
      minLatencyMs: value.minLatency,
      minThroughput: value.minThroughput,
      confidence: value.confidence,
    }),
  );

/** Hours in a month of cloud pricing (365 days x 24 hours / 12). */
export const HOURS_PER_MONTH = 730;

function cellName(what: string) {
  return text(`name the ${what}`, `Name of the ${what}, part of the cell id.`).check((ctx) => {
    if (!/^[A-Za-z0-9][\w.-]*$/.test(ctx.value)) {
      ctx.issues.push({
        code: "custom",
        message: `${show(ctx.value)} is not a valid name; use letters, digits, ".", "_" and "-", e.g. gru4rec`,
        input: ctx.value,
      });
    }
  });
}

function uniqueNames(
  items: readonly { name: string }[],
  ctx: z.RefinementCtx<readonly { name: string }[]>,
): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.name)) {
      ctx.addIssue({
        code: "custom",
        path: [index, "name"],
        message: `${show(item.name)} is already the name of another entry; names must be unique`,
      });
    }
    seen.add(item.name);
  });
}

function nonEmptyList<T extends z.ZodType<{ name: string }>>(item: T, what: string, example: string) {
  return z
    .array(item, { error: (issue) => `${show(issue.input)} is not a list of ${what}` })
    .min(1, { error: `an empty list has no ${what}; give at least one, e.g. ${example}` })
    .superRefine(uniqueNames);
}

const matrixModel = z
  .strictObject({
    name: cellName("model"),
    target,
    protocol,
  })
  .meta({ description: "A model server to benchmark: its target and protocol." });

const price = (unit: string, example: string) =>
  plainNumber(
    { min: 0, minExclusive: true, what: `a price per ${unit} above 0, e.g. ${example}` },
    `Price of one machine per ${unit}.`,
  );

const matrixDeployment = z
  .strictObject({
    name: cellName("deployment"),
    local: flag("This machine rather than a Kubernetes placement; has no price.").prefault(false),
    instanceType: text(
      "give the instance type",
      "Instance type, e.g. n1-standard-8; matched against node.kubernetes.io/instance-type.",
    ).optional(),
    nodeSelector: stringMap("Node labels the model pods must match.").prefault({}),
    tolerations: tolerations.prefault([]),
    resources: z
      .strictObject({
        cpu: quantity("write CPU as e.g. 4 or 3500m", "CPU per replica.").optional(),
        memory: quantity("write memory as e.g. 16Gi", "Memory per replica.").optional(),
      })
      .meta({ description: "Resources per model replica." })
      .prefault({}),
    gpus: count({ min: 0, integer: true, what: "gpus is a whole number >= 0" }, "GPUs per replica.").prefault(
      0,
    ),
    replicas: count(
      { min: 1, integer: true, what: "replicas is a whole number >= 1" },
      "Model replicas (one per machine) in the measured setup.",
    ).prefault(1),
    pricePerHour: price("hour", "0.367").optional(),
    pricePerMonth: price("month", "268.09").optional(),
    currency: text("give a currency code such as USD", "Currency of the price.")
      .check((ctx) => {
        if (!/^[A-Z]{3}$/.test(ctx.value)) {
          ctx.issues.push({
            code: "custom",
            message: `${show(ctx.value)} is not a three-letter currency code such as USD or EUR`,
            input: ctx.value,
          });
        }
      })
      .prefault("USD"),
  })
  .meta({ description: "Where the model runs: an instance type with resources, replicas and price." })
  .superRefine((value, ctx) => {
    if (value.pricePerHour !== undefined && value.pricePerMonth !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["pricePerMonth"],
        message: "pricePerHour and pricePerMonth exclude each other; keep one",
      });
    }
    if (!value.local) return;
    const clusterOnly = [
      value.pricePerHour !== undefined && "pricePerHour",
      value.pricePerMonth !== undefined && "pricePerMonth",
      value.instanceType !== undefined && "instanceType",
      Object.keys(value.nodeSelector).length > 0 && "nodeSelector",
      value.tolerations.length > 0 && "tolerations",
      value.gpus > 0 && "gpus",
      value.replicas > 1 && "replicas",
    ].filter((key) => key !== false);
    for (const key of clusterOnly) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `a local deployment runs one server on this machine; remove ${key} or set local: false`,
      });
    }
  });

const matrixScenario = z
  .strictObject({
    name: cellName("scenario"),
    catalogSize: count(
      {
        min: 2,
        max: 2 ** 32,
        integer: true,
        what: "the catalog holds a whole number of items from 2 to 2^32",
      },
      "Items in the catalog; default workload.catalogSize.",
    ).optional(),
    targetRate: count(
      {
        min: 0,
        minExclusive: true,
        what: "the target rate is a number of requests per second above 0, e.g. 1k",
      },
      "Request rate the setup must serve; default load.targetRate.",
    ).optional(),
    constraints: constraints.optional(),
  })
  .meta({ description: "A use case: catalog size, target rate and optionally its own budgets." });

const matrix = z
  .strictObject({
    concurrency: count(
      { min: 1, integer: true, what: "concurrency is a whole number >= 1" },
      "Cluster cells run at once; local cells always run alone.",
    ).prefault(1),
    models: nonEmptyList(
      matrixModel,
      "models",
      "[{ name: noop, target: { reference: { model: noop } } }]",
    ).optional(),
    deployments: nonEmptyList(matrixDeployment, "deployments", "[{ name: local, local: true }]").optional(),
    scenarios: nonEmptyList(
      matrixScenario,
      "scenarios",
      "[{ name: fashion, catalogSize: 1M, targetRate: 500 }]",
    ).optional(),
  })
  .meta({
    description:
      "Models x deployments x scenarios: each cell is one benchmark; the report names the cheapest setup that meets the budget.",
  });

export const specSchema = z
  .strictObject({
    name: text("give the benchmark a name", "Benchmark name; default: the spec file name.").optional(),
    workload,
    load,
    constraints: constraints.prefault({}),
    target,
    protocol,
    repetitions: count(
      { min: 1, integer: true, what: "repetitions is a whole number >= 1" },
      "Times the whole benchmark runs.",
    ).prefault(3),
    regression: regression.prefault({}),
    matrix: matrix.optional(),
  })
  .meta({
    title: "etude benchmark spec",
    description: "Benchmark of a session-based recommendation model's inference latency.",
  });

export type SpecInput = z.output<typeof specSchema>;

/** The editor JSON Schema, derived from the input side of `specSchema` so unit strings validate. */
export function specJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(specSchema, { io: "input", target: "draft-07" }) as Record<string, unknown>;
}
