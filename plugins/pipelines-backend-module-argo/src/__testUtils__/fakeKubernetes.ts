import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/**
 * An in-process fake of the part of the Kubernetes API the Argo executor
 * uses, served over HTTPS on 127.0.0.1 so that the real
 * `@kubernetes/client-node` talks to it (TLS with a CA, bearer token):
 *
 * - `POST   /apis/argoproj.io/v1alpha1/namespaces/{ns}/workflows`
 * - `GET    /apis/argoproj.io/v1alpha1/namespaces/{ns}/workflows/{name}`
 * - `PATCH  /apis/argoproj.io/v1alpha1/namespaces/{ns}/workflows/{name}`
 * - `GET    /api/v1/namespaces/{ns}/pods/{pod}/log`
 *
 * It does not run anything: each read of the Workflow returns the next
 * state of a recorded sequence (the last one repeats), and after a patch
 * with `spec.shutdown: Stop` the `stopped` sequence; pod logs come from a
 * recorded map. Errors are answered as the API server does, with a
 * `Status` object.
 */

const FIXTURES = join(__dirname, '..', '__fixtures__', 'recorded');

/** A recorded fixture file, parsed. */
export function recorded<T = any>(file: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
}

/** What the fake plays back for one Workflow. */
export interface Recording {
  /** Successive states of the Workflow object, as Argo writes them. */
  states: any[];
  /** States served after the Workflow was stopped. */
  stopped?: any[];
  /** Pod name → the `main` container's log. */
  logs?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body?: any;
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  reason: string;
  message: string;
  /** Answer this many matching requests normally first. */
  after?: number;
}

let certificate: { cert: string; key: string } | undefined;

/** One self-signed certificate for 127.0.0.1 per test file. */
function testCertificate() {
  if (!certificate) {
    const pems = generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      days: 1,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
      ],
    });
    certificate = { cert: pems.cert, key: pems.private };
  }
  return certificate;
}

export class FakeKubernetes {
  readonly requests: RecordedRequest[] = [];
  private recording: Recording = { states: [] };
  private reads = 0;
  private stoppedReads = 0;
  private stopped = false;
  private submitted: any;
  private failures: Failure[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    /** Base64 PEM of the server's certificate, as a kubeconfig's `certificate-authority-data`. */
    readonly caData: string,
    /** The only token the fake accepts. */
    readonly token: string,
  ) {}

  static async start(options: { token: string }): Promise<FakeKubernetes> {
    const { cert, key } = testCertificate();
    const server = createServer({ cert, key });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeKubernetes(
      server,
      `https://127.0.0.1:${port}`,
      Buffer.from(cert).toString('base64'),
      options.token,
    );
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      fake.handle(req, res).catch(error => {
        send(res, 500, status(500, 'InternalError', String(error)));
      });
    });
    return fake;
  }

  /** What the Workflow's reads return from now on. */
  play(recording: Recording) {
    this.recording = recording;
    this.reads = 0;
    this.stoppedReads = 0;
    this.stopped = false;
  }

  /** Forgets the recording, the requests, the Workflow and the failures. */
  reset() {
    this.play({ states: [] });
    this.requests.length = 0;
    this.submitted = undefined;
    this.failures = [];
  }

  /** Answers every matching request with an API error. */
  failWith(failure: Failure) {
    this.failures.push(failure);
  }

  /** The Workflow objects the client created. */
  get createdWorkflows(): any[] {
    return this.requests.filter(r => r.method === 'POST').map(r => r.body);
  }

  get patches(): RecordedRequest[] {
    return this.requests.filter(r => r.method === 'PATCH');
  }

  async stop() {
    const closed = new Promise(resolve => this.server.close(resolve));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.url);
    const text = await readBody(req);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: text ? JSON.parse(text) : undefined,
    };
    this.requests.push(request);

    if (req.headers.authorization !== `Bearer ${this.token}`) {
      send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const failure = this.failures.find(
      f =>
        f.method === request.method &&
        f.path.test(request.path) &&
        (f.after ?? 0) <= 0,
    );
    for (const f of this.failures) {
      if (f.method === request.method && f.path.test(request.path)) {
        f.after = (f.after ?? 0) - 1;
      }
    }
    if (failure) {
      send(
        res,
        failure.status,
        status(failure.status, failure.reason, failure.message),
      );
      return;
    }

    const workflows = url.pathname.match(
      /^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/([^/]+)\/workflows(?:\/([^/]+))?$/,
    );
    const log = url.pathname.match(
      /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/,
    );
    if (workflows && request.method === 'POST' && !workflows[2]) {
      this.create(workflows[1], request.body, res);
    } else if (workflows && workflows[2] && request.method === 'GET') {
      this.read(workflows[1], workflows[2], res);
    } else if (workflows && workflows[2] && request.method === 'PATCH') {
      this.patch(workflows[1], workflows[2], req, request.body, res);
    } else if (log && request.method === 'GET') {
      this.readLog(log[1], log[2], url.searchParams, res);
    } else {
      send(
        res,
        404,
        status(
          404,
          'NotFound',
          `the server could not find the requested resource`,
        ),
      );
    }
  }

  private create(namespace: string, body: any, res: ServerResponse) {
    if (body?.metadata?.namespace && body.metadata.namespace !== namespace) {
      send(
        res,
        400,
        status(
          400,
          'BadRequest',
          'the namespace of the provided object does not match the namespace sent on the request',
        ),
      );
      return;
    }
    if (this.submitted?.metadata?.name === body?.metadata?.name) {
      send(
        res,
        409,
        status(
          409,
          'AlreadyExists',
          `workflows.argoproj.io "${body.metadata.name}" already exists`,
        ),
      );
      return;
    }
    this.submitted = body;
    send(res, 201, {
      ...body,
      metadata: { ...body.metadata, uid: 'fake-uid', resourceVersion: '1' },
    });
  }

  private current(namespace: string, name: string) {
    const first = this.recording.states[0]?.metadata;
    if (
      !this.submitted ||
      this.submitted.metadata.name !== name ||
      first?.name !== name ||
      first?.namespace !== namespace
    ) {
      return undefined;
    }
    return true;
  }

  private read(namespace: string, name: string, res: ServerResponse) {
    if (!this.current(namespace, name)) {
      send(
        res,
        404,
        status(404, 'NotFound', `workflows.argoproj.io "${name}" not found`),
      );
      return;
    }
    const states =
      this.stopped && this.recording.stopped
        ? this.recording.stopped
        : this.recording.states;
    const index =
      this.stopped && this.recording.stopped
        ? this.stoppedReads++
        : this.reads++;
    const state = states[Math.min(index, states.length - 1)];
    send(res, 200, { ...state, spec: this.submitted.spec });
  }

  private patch(
    namespace: string,
    name: string,
    req: IncomingMessage,
    body: any,
    res: ServerResponse,
  ) {
    if (!this.current(namespace, name)) {
      send(
        res,
        404,
        status(404, 'NotFound', `workflows.argoproj.io "${name}" not found`),
      );
      return;
    }
    if (req.headers['content-type'] !== 'application/merge-patch+json') {
      send(
        res,
        415,
        status(
          415,
          'UnsupportedMediaType',
          `the fake applies merge patches only, got ${req.headers['content-type']}`,
        ),
      );
      return;
    }
    this.submitted = {
      ...this.submitted,
      spec: { ...this.submitted.spec, ...body.spec },
    };
    if (this.submitted.spec.shutdown === 'Stop') this.stopped = true;
    send(res, 200, this.submitted);
  }

  private readLog(
    namespace: string,
    pod: string,
    query: URLSearchParams,
    res: ServerResponse,
  ) {
    const text = this.recording.logs?.[pod];
    const ns = this.recording.states[0]?.metadata?.namespace;
    if (text === undefined || namespace !== ns) {
      send(res, 404, status(404, 'NotFound', `pods "${pod}" not found`));
      return;
    }
    if (query.get('container') !== 'main') {
      send(
        res,
        400,
        status(
          400,
          'BadRequest',
          `container ${query.get('container')} is not valid for pod ${pod}`,
        ),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(text);
  }
}

function status(code: number, reason: string, message: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}

function send(res: ServerResponse, code: number, body: unknown) {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
