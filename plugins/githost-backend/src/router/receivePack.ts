import fs from 'node:fs';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { Request } from 'express';
import { GithostLimits } from '@gitops/plugin-githost-node';

/** The window over which a push's transfer rate is measured. */
export const RATE_WINDOW_SECONDS = 10;

/** Room for the ref commands in front of the pack, on top of `maxPushBytes`. */
function commandsAllowance(limits: GithostLimits): number {
  return (limits.maxRefsPerPush + 1) * 1024 + 4096;
}

/** Why a push request was cut off while it arrived. */
export interface SpoolRefusal {
  status: number;
  message: string;
}

/**
 * Receives a push request's body into a file, decompressed, before any
 * lock is taken: a slow or huge push then holds nothing that other pushes
 * wait for. The transfer is cut off when it grows past `maxPushBytes`
 * (after decompression, so a gzip bomb stops there too), takes longer than
 * `pushTimeoutSeconds`, or brings less than `minPushBytesPerSecond` over
 * {@link RATE_WINDOW_SECONDS}.
 */
export function spoolPushBody(
  req: Request,
  file: string,
  limits: GithostLimits,
): Promise<{ ok: true; size: number } | ({ ok: false } & SpoolRefusal)> {
  const encoding = String(req.headers['content-encoding'] ?? '').toLowerCase();
  const gzip = encoding === 'gzip' || encoding === 'x-gzip';
  const maxBytes = limits.maxPushBytes + commandsAllowance(limits);
  const declared = Number(req.headers['content-length']);
  if (!gzip && Number.isFinite(declared) && declared > maxBytes) {
    return Promise.resolve({
      ok: false,
      status: 413,
      message: tooLarge(limits),
    });
  }
  return new Promise(resolve => {
    const source: Readable = gzip ? req.pipe(zlib.createGunzip()) : req;
    const out = fs.createWriteStream(file);
    const start = Date.now();
    // Bytes received (on the wire) at each second, for the rate window.
    let wireBytes = 0;
    const history: number[] = [0];
    let size = 0;
    let done = false;
    // Assigned once the interval starts, below; `finish` clears it.
    // eslint-disable-next-line prefer-const
    let timer: NodeJS.Timeout | undefined;

    const finish = (
      result: { ok: true; size: number } | ({ ok: false } & SpoolRefusal),
    ) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      if (!result.ok) {
        // The request stays open for the refusal to be answered; the
        // router closes the connection after that.
        req.unpipe();
        if (source !== req) source.destroy();
        req.pause();
        out.destroy();
      }
      resolve(result);
    };

    req.on('data', (chunk: Buffer) => {
      wireBytes += chunk.length;
    });
    timer = setInterval(() => {
      history.push(wireBytes);
      const seconds = (Date.now() - start) / 1000;
      if (seconds > limits.pushTimeoutSeconds) {
        finish({
          ok: false,
          status: 408,
          message: `Push cut off: it took longer than ${limits.pushTimeoutSeconds} s (githost.limits.pushTimeoutSeconds)`,
        });
        return;
      }
      if (history.length > RATE_WINDOW_SECONDS) {
        const recent =
          wireBytes - history[history.length - 1 - RATE_WINDOW_SECONDS];
        if (recent < limits.minPushBytesPerSecond * RATE_WINDOW_SECONDS) {
          finish({
            ok: false,
            status: 408,
            message: `Push cut off: it sent ${recent} bytes in the last ${RATE_WINDOW_SECONDS} s, less than ${limits.minPushBytesPerSecond} bytes per second (githost.limits.minPushBytesPerSecond)`,
          });
        }
      }
    }, 1000);
    timer.unref?.();

    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish({ ok: false, status: 413, message: tooLarge(limits) });
        return;
      }
      if (!out.write(chunk)) {
        source.pause();
        out.once('drain', () => source.resume());
      }
    });
    source.on('end', () => {
      out.end(() => finish({ ok: true, size }));
    });
    source.on('error', () =>
      finish({
        ok: false,
        status: 400,
        message: 'The push request could not be read (bad gzip encoding?)',
      }),
    );
    req.on('aborted', () =>
      finish({ ok: false, status: 400, message: 'The push was aborted' }),
    );
    out.on('error', () =>
      finish({
        ok: false,
        status: 500,
        message: 'The push could not be stored',
      }),
    );
  });
}

function tooLarge(limits: GithostLimits) {
  return `Push refused: larger than ${limits.maxPushBytes} bytes (githost.limits.maxPushBytes)`;
}

/** One ref update of a receive-pack request. */
export interface RefCommand {
  ref: string;
  oldId: string;
  newId: string;
}

/**
 * The ref commands at the head of a receive-pack request, in git's pkt-line
 * format (`<old> <new> <ref>[\0<capabilities>]` up to a flush packet).
 * Reads at most what `maxCommands` commands can take, never the pack.
 */
export async function readRefCommands(
  file: string,
  maxCommands: number,
): Promise<
  { ok: true; commands: RefCommand[] } | { ok: false; reason: string }
> {
  const handle = await fs.promises.open(file, 'r');
  try {
    // A command line is at most 4 + 40 + 1 + 40 + 1 + 255 + capabilities:
    // the same allowance the body was given on top of the pack.
    const budget = (maxCommands + 1) * 1024 + 4096;
    const buffer = Buffer.alloc(budget);
    const { bytesRead } = await handle.read(buffer, 0, budget, 0);
    const head = buffer.subarray(0, bytesRead);
    const commands: RefCommand[] = [];
    let offset = 0;
    for (;;) {
      if (offset + 4 > head.length) {
        return {
          ok: false,
          reason:
            commands.length >= maxCommands
              ? `more than ${maxCommands} ref updates in one push (githost.limits.maxRefsPerPush)`
              : 'the ref updates are not in git pkt-line format',
        };
      }
      const length = parseInt(head.toString('latin1', offset, offset + 4), 16);
      if (Number.isNaN(length) || (length > 0 && length < 4)) {
        return {
          ok: false,
          reason: 'the ref updates are not in git pkt-line format',
        };
      }
      if (length === 0) break;
      const line = head
        .toString('utf8', offset + 4, offset + length)
        .split('\0')[0]
        .replace(/\n$/, '');
      offset += length;
      if (line.startsWith('shallow ')) continue;
      const match = /^([0-9a-f]{40}) ([0-9a-f]{40}) (refs\/\S+)$/.exec(line);
      if (!match) {
        return {
          ok: false,
          reason: `unsupported push command ${JSON.stringify(
            line.slice(0, 80),
          )}`,
        };
      }
      commands.push({ oldId: match[1], newId: match[2], ref: match[3] });
      if (commands.length > maxCommands) {
        return {
          ok: false,
          reason: `more than ${maxCommands} ref updates in one push (githost.limits.maxRefsPerPush)`,
        };
      }
    }
    return { ok: true, commands };
  } finally {
    await handle.close();
  }
}
