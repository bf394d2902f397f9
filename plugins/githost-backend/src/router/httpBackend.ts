import { spawn } from 'node:child_process';
import { Request, Response } from 'express';
import { gitEnv } from '@gitops/plugin-githost-node';

/** Largest CGI header block accepted from git http-backend. */
const MAX_CGI_HEADER_BYTES = 64 * 1024;

/** Response headers git may send that the HTTP server manages itself. */
const SKIPPED_HEADERS = new Set(['status', 'transfer-encoding', 'connection']);

/** Options of {@link runHttpBackend}. */
export interface HttpBackendOptions {
  /** GIT_PROJECT_ROOT: the folder of the bare repositories. */
  projectRoot: string;
  /** PATH_INFO, built from validated names only: `/<owner>/<name>.git/<service path>`. */
  pathInfo: string;
  /** QUERY_STRING, rebuilt from validated values (never the raw query). */
  queryString: string;
  /** REMOTE_USER: http-backend only allows receive-pack when it is set. */
  remoteUser?: string;
  timeoutMs: number;
  /**
   * The request body, already received and decompressed (a push, spooled
   * first); the request itself is piped to git when absent.
   */
  body?: { stream: NodeJS.ReadableStream; length: number };
  /** Extra environment, e.g. per-push git config from `gitConfigEnv`. */
  env?: Record<string, string>;
}

/** How the CGI run ended. */
export interface HttpBackendResult {
  /** Exit code of git http-backend (null when it was killed). */
  exitCode: number | null;
  /** The HTTP status git answered with (200 unless it sent a Status header). */
  status: number;
  /** Last lines of git's standard error, for the log. */
  stderr: string;
}

/**
 * Serves one smart HTTP request by running `git http-backend` as a CGI
 * program: the request body goes to its standard input, its CGI headers
 * become the response's status and headers, and the rest of its output is
 * streamed as the body.
 *
 * The response is NOT ended: the caller ends it once it has done its own
 * work (publishing push events), so that a git client's push only completes
 * after its events are out.
 */
export function runHttpBackend(
  req: Request,
  res: Response,
  options: HttpBackendOptions,
): Promise<HttpBackendResult> {
  const env: Record<string, string> = {
    GIT_PROJECT_ROOT: options.projectRoot,
    // Every repository under the root is served; access is decided by the router.
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    REQUEST_METHOD: req.method,
    PATH_INFO: options.pathInfo,
    QUERY_STRING: options.queryString,
    CONTENT_TYPE: headerValue(req.headers['content-type']),
    REMOTE_ADDR: req.socket.remoteAddress ?? '',
  };
  if (options.body) {
    env.CONTENT_LENGTH = String(options.body.length);
  } else {
    const contentLength = headerValue(req.headers['content-length']);
    if (/^\d+$/.test(contentLength)) env.CONTENT_LENGTH = contentLength;
    // git clients gzip large requests; http-backend inflates them itself.
    const encoding = headerValue(req.headers['content-encoding']).toLowerCase();
    if (encoding === 'gzip' || encoding === 'x-gzip') {
      env.HTTP_CONTENT_ENCODING = encoding;
    }
  }
  // Protocol v2 negotiation (`Git-Protocol: version=2`), passed through when well-formed.
  const gitProtocol = headerValue(req.headers['git-protocol']);
  if (/^[A-Za-z0-9=:._-]{1,100}$/.test(gitProtocol)) {
    env.HTTP_GIT_PROTOCOL = gitProtocol;
  }
  if (options.remoteUser) env.REMOTE_USER = options.remoteUser;

  return new Promise(resolve => {
    const child = spawn('git', ['http-backend'], {
      env: gitEnv({ ...options.env, ...env }),
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let settled = false;
    let stderr = '';
    let status = 200;
    let headerBuffer: Buffer | undefined = Buffer.alloc(0);
    let stdoutEnded = false;
    let exitCode: number | null | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);

    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (headerBuffer !== undefined && !res.headersSent) {
        // No complete CGI header block: git failed before answering.
        status = 502;
        res.status(502).type('text/plain');
        res.write('git http-backend failed\n');
      }
      resolve({ exitCode: code, status, stderr: stderr.slice(-2000) });
    };
    const maybeFinish = () => {
      if (stdoutEnded && exitCode !== undefined) finish(exitCode);
    };

    // A client that goes away must not leave git running.
    res.on('close', () => {
      if (!settled) child.kill('SIGKILL');
    });

    child.on('error', error => {
      stderr += String(error);
      stdoutEnded = true;
      exitCode = null;
      maybeFinish();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (headerBuffer === undefined) {
        if (!res.write(chunk)) {
          child.stdout.pause();
          res.once('drain', () => child.stdout.resume());
        }
        return;
      }
      headerBuffer = Buffer.concat([headerBuffer, chunk]);
      const split = findHeaderEnd(headerBuffer);
      if (!split) {
        if (headerBuffer.length > MAX_CGI_HEADER_BYTES) child.kill('SIGKILL');
        return;
      }
      const head = headerBuffer.subarray(0, split.index).toString('latin1');
      const body = headerBuffer.subarray(split.index + split.length);
      headerBuffer = undefined;
      for (const line of head.split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') {
          const code = parseInt(value, 10);
          if (code >= 100 && code <= 599) status = code;
        } else if (!SKIPPED_HEADERS.has(name.toLowerCase())) {
          res.setHeader(name, value);
        }
      }
      res.status(status);
      if (body.length) res.write(body);
      else res.flushHeaders();
    });
    child.stdout.on('end', () => {
      stdoutEnded = true;
      maybeFinish();
    });
    child.on('close', code => {
      exitCode = code;
      stdoutEnded = true;
      maybeFinish();
    });

    child.stdin.on('error', () => {
      // git may exit before reading the whole body (e.g. a refused push);
      // its answer on stdout is what matters.
    });
    if (options.body) {
      options.body.stream.pipe(child.stdin);
    } else if (req.method === 'POST') {
      req.pipe(child.stdin);
    } else {
      child.stdin.end();
    }
  });
}

function headerValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function findHeaderEnd(
  buffer: Buffer,
): { index: number; length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { index: crlf, length: 4 };
  if (lf >= 0) return { index: lf, length: 2 };
  return undefined;
}
