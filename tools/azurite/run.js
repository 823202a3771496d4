#!/usr/bin/env node
"use strict";
// Runs Azurite inside this process for the .NET process that started it (INTEGRITY_AZURITE_PARENT_PID), and
// ends it, gracefully, only once that process is done with it. What makes an acknowledged write survive:
//   - Azurite's file store (LokiJS) saves every 5 s and on a graceful close. When the parent is killed, this
//     process outlives it and saves before it exits: its stdin closing (or the parent pid vanishing) starts
//     the shutdown.
//   - Output to a dead parent's pipe fails with EPIPE; unhandled, that error killed Node in the middle of the
//     final save. Output errors are ignored from the start.
//   - A terminal's Ctrl-C (SIGINT to the whole process group) reaches this process together with the host. The
//     host still has writes to make while its silo stops, so a signal is ignored while the parent lives: the
//     parent closes our stdin when it has finished. With no parent (run by hand) a signal stops at once.
//   - Two processes on one data folder would overwrite each other's saves: a host restarted on the folder
//     waits here until the previous Azurite has finished saving (the pid file azurite.pid).
const fs = require("fs");
const path = require("path");

const parentPid = Number(process.env.INTEGRITY_AZURITE_PARENT_PID || 0);
const closeTimeoutMs = 60000;
const previousWaitMs = 45000;
let closed = 0;
let stopping = false;
let azuriteShutdown = null;

for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", () => {});
}

const log = console.log.bind(console);
console.log = (...args) => {
  try {
    log(...args);
  } catch {
    // The reader is gone; the shutdown goes on without it.
  }
  if (stopping && args.some((a) => typeof a === "string" && a.includes("successfully closed")) && ++closed === 3) {
    process.exit(0);
  }
};

// Azurite registers its own SIGINT/SIGTERM handlers; keep them to call when we decide to stop.
const once = process.once.bind(process);
process.once = (event, listener) => {
  if (event === "SIGINT" || event === "SIGTERM") {
    azuriteShutdown = listener;
    return process;
  }
  return once(event, listener);
};

function parentAlive() {
  if (parentPid <= 0) return false;
  try {
    process.kill(parentPid, 0);
    return true;
  } catch {
    return false;
  }
}

function stop() {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), closeTimeoutMs).unref();
  if (azuriteShutdown) {
    azuriteShutdown();
  } else {
    process.exit(0); // not listening yet: nothing was written
  }
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (!parentAlive()) stop();
  });
}

process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();

if (parentPid > 0) {
  setInterval(() => {
    if (!parentAlive()) stop();
  }, 500);
}

const args = process.argv.slice(2);
const locationAt = args.indexOf("--location");
const pidFile = locationAt >= 0 ? path.join(args[locationAt + 1], "azurite.pid") : null;

function isAzuriteOf(pid) {
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A pid reused by another program is not the previous Azurite.
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("run.js");
  } catch {
    return process.platform !== "linux";
  }
}

async function waitForPrevious() {
  if (!pidFile) return;
  let previous = 0;
  try {
    previous = Number(fs.readFileSync(pidFile, "utf8").trim());
  } catch {
    return;
  }
  const started = Date.now();
  if (isAzuriteOf(previous)) {
    log(`Waiting for the previous Azurite (pid ${previous}) to finish saving ${path.dirname(pidFile)}`);
  }
  while (isAzuriteOf(previous)) {
    if (Date.now() - started > previousWaitMs) {
      console.error(`The previous Azurite (pid ${previous}) still runs on ${path.dirname(pidFile)} after ${previousWaitMs / 1000} s`);
      process.exit(3);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

waitForPrevious().then(() => {
  if (pidFile) {
    fs.mkdirSync(path.dirname(pidFile), { recursive: true });
    fs.writeFileSync(pidFile, String(process.pid));
    process.on("exit", () => {
      try {
        if (fs.readFileSync(pidFile, "utf8").trim() === String(process.pid)) fs.unlinkSync(pidFile);
      } catch {
        // already gone
      }
    });
  }
  process.argv = [process.argv[0], "azurite", ...args];
  require("azurite/dist/src/azurite.js");
});
