#!/usr/bin/env node
// The published CLI runs the bundle; from a checkout, `npm run etude -- <command>` runs the sources.
await import("../dist/cli.mjs");
