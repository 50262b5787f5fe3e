#!/usr/bin/env node
import { SpecError } from "../spec/index.ts";
import { CLEANUP_HELP, cleanupCommand } from "./commands/cleanup.ts";
import { FIT_HELP, fitCommand } from "./commands/fit.ts";
import { REPORT_HELP, reportCommand } from "./commands/report.ts";
import { RUN_HELP, runCommand } from "./commands/run.ts";
import { SERVE_HELP, serveCommand } from "./commands/serve.ts";
import { EXIT } from "./exit-codes.ts";
import { MAIN_HELP, UsageError } from "./usage.ts";

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; help: string }> = {
  run: { run: runCommand, help: RUN_HELP },
  serve: { run: serveCommand, help: SERVE_HELP },
  fit: { run: fitCommand, help: FIT_HELP },
  report: { run: reportCommand, help: REPORT_HELP },
  cleanup: { run: cleanupCommand, help: CLEANUP_HELP },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(MAIN_HELP);
    return name === undefined ? EXIT.usage : EXIT.pass;
  }
  const command = COMMANDS[name];
  if (!command)
    throw new UsageError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(", ")}`);
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${error.message}\n\n${command.help}`);
    throw error;
  }
}

/** Anything that is not the user's input is an infrastructure problem (exit 3). */
function exitCodeFor(error: unknown): number {
  if (error instanceof SpecError || error instanceof UsageError) return EXIT.usage;
  if ((error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) return EXIT.usage;
  return EXIT.infrastructure;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`etude: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = exitCodeFor(error);
  },
);
