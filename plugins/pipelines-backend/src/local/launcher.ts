/**
 * The launcher: a small Node.js program that runs as the sandbox's command
 * (pid 2 under bubblewrap's init) and starts the task's steps inside it,
 * one at a time, so a step costs a process start in a small process
 * instead of a new sandbox started by the 500 MB backend.
 *
 * Protocol, over the sandbox's stdin and stdout:
 * - in: one JSON line per step, `{"argv": [...], "env": {...}}`; the step
 *   runs with exactly that environment, in the workspace, without a shell;
 * - out: frames of a 1-byte type, a 4-byte big-endian length and the
 *   payload: `o` (the step's stdout), `e` (its stderr), and `x` once the
 *   step has ended, a JSON `{code, signal, error, clean}`.
 *
 * After each step, and before `x`, the launcher kills every other process
 * of the sandbox's pid namespace (daemons the step left behind) and
 * empties `/tmp` and `/dev/shm`, so the next step starts as it would in a
 * fresh sandbox; `clean: false` tells the executor it could not, and the
 * executor then starts a new sandbox for the next step.
 *
 * Plain JavaScript run with `node -e`: nothing of the backend's code or
 * files is visible in the sandbox, only the node binary, bound read-only.
 */
export const LAUNCHER_SOURCE = String.raw`'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const out = process.stdout;
let pending = '';
let running = false;
const queue = [];

function send(type, payload) {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeUInt32BE(payload.length, 1);
  out.cork();
  out.write(head);
  const ok = out.write(payload);
  out.uncork();
  return ok;
}

function others() {
  const found = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === 1 || pid === process.pid) continue;
    let stat;
    try {
      stat = fs.readFileSync('/proc/' + pid + '/stat', 'latin1');
    } catch {
      continue;
    }
    const state = stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
    if (state !== 'Z' && state !== 'X') found.push(pid);
  }
  return found;
}

function killOthers() {
  for (let round = 0; round < 50; round++) {
    const pids = others();
    if (pids.length === 0) return true;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
  }
  return others().length === 0;
}

function empty(dir) {
  let entries;
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return true;
  }
  try {
    for (const entry of entries) {
      fs.rmSync(dir + '/' + entry, { recursive: true, force: true });
    }
    return true;
  } catch {
    return false;
  }
}

function cannotStart(program, error) {
  return 'could not start ' + JSON.stringify(program) + ': ' +
    String(error && error.message);
}

function next() {
  if (running || queue.length === 0) return;
  running = true;
  const command = queue.shift();
  let done = false;
  const finish = result => {
    if (done) return;
    done = true;
    const killed = killOthers();
    const tmp = empty('/tmp');
    const shm = empty('/dev/shm');
    const clean = killed && tmp && shm;
    send('x', Buffer.from(JSON.stringify({ ...result, clean })));
    running = false;
    next();
  };
  let child;
  try {
    child = spawn(command.argv[0], command.argv.slice(1), {
      env: command.env,
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    finish({ error: cannotStart(command.argv[0], error) });
    return;
  }
  const relay = type => data => {
    if (!send(type, data)) {
      child.stdout.pause();
      child.stderr.pause();
      out.once('drain', () => {
        child.stdout.resume();
        child.stderr.resume();
      });
    }
  };
  child.stdout.on('data', relay('o'));
  child.stderr.on('data', relay('e'));
  child.on('error', error => {
    if (child.pid === undefined) {
      finish({ error: cannotStart(command.argv[0], error) });
    }
  });
  // Daemons of the step may hold its pipes open: kill them when it exits.
  child.on('exit', () => killOthers());
  child.on('close', (code, signal) => {
    if (child.pid === undefined) return;
    finish({
      code: code === null ? 128 + (os.constants.signals[signal] || 0) : code,
      signal: signal || undefined,
    });
  });
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => {
  pending += chunk;
  let nl;
  while ((nl = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    if (line) queue.push(JSON.parse(line));
  }
  next();
});
process.stdin.on('end', () => {
  killOthers();
  process.exit(0);
});
`;
