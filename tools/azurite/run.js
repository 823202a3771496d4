#!/usr/bin/env node
"use strict";
// Runs Azurite inside this process and ends it when the .NET process that started it is gone,
// so an aborted `dotnet test` or a killed host never leaves an orphaned Azurite behind.
// Stopping is graceful: Azurite's file store saves only every few seconds, so it must close to keep data.
//   - stdin closing (the parent closed it, or died) starts a graceful shutdown;
//   - the parent pid disappearing does the same;
//   - SIGINT/SIGTERM run Azurite's own shutdown; we exit once its three services report closed.
const parentPid = Number(process.env.INTEGRITY_AZURITE_PARENT_PID || 0);
const closeTimeoutMs = 8000;
let closed = 0;
let stopping = false;

const log = console.log.bind(console);
console.log = (...args) => {
  log(...args);
  if (stopping && args.some((a) => typeof a === "string" && a.includes("successfully closed")) && ++closed === 3) {
    process.exit(0);
  }
};

function stop() {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), closeTimeoutMs);
  process.kill(process.pid, "SIGTERM");
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (!stopping) {
      stopping = true;
      setTimeout(() => process.exit(0), closeTimeoutMs);
    }
  });
}

process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();

if (parentPid > 0) {
  setInterval(() => {
    try {
      process.kill(parentPid, 0);
    } catch {
      stop();
    }
  }, 500);
}

process.argv = [process.argv[0], "azurite", ...process.argv.slice(2)];
require("azurite/dist/src/azurite.js");
