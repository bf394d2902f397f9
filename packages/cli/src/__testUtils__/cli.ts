import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Output } from '../lib/output';

/** The seed's example service, at the repository root. */
export const exampleApp = path.resolve(
  __dirname,
  '../../../../examples/example-app',
);

/** An Output that keeps what a command printed. */
export function capture(): {
  out: { stdout: string; stderr: string };
  io: Output;
} {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: (t: string) => void (out.stdout += t),
    stderr: (t: string) => void (out.stderr += t),
  };
  return { out, io };
}

/** A repository in a fresh temporary folder. */
export function tempRepo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A copy of the example service to break. */
export function exampleCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-cli-example-'));
  fs.cpSync(exampleApp, dir, { recursive: true });
  return dir;
}
