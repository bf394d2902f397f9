import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake received. */
export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  authorization?: string;
  accept?: string;
  body?: any;
}

/** An answer to give instead of handling the next request. */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeCheckRun {
  id: number;
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  external_id: string | null;
  details_url: string | null;
  status: string;
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
}

const STATUSES = ['queued', 'in_progress', 'completed'];
const CONCLUSIONS = [
  'action_required',
  'cancelled',
  'failure',
  'neutral',
  'success',
  'skipped',
  'stale',
  'timed_out',
];
const CREATE_KEYS = [
  'name',
  'head_sha',
  'details_url',
  'external_id',
  'status',
  'started_at',
  'conclusion',
  'completed_at',
  'output',
  'actions',
];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/**
 * An in-process stand-in for GitHub's REST API, on 127.0.0.1: the three
 * check-run operations (create, update, list for a ref), answered as
 * GitHub documents them, with their request bodies validated against the
 * rules the documentation states (422 "Validation Failed" otherwise). It
 * records every request and can be told to answer the next ones otherwise.
 */
export class FakeGithub {
  readonly requests: RecordedRequest[] = [];
  readonly checkRuns: FakeCheckRun[] = [];
  /** Bodies that the fake refused with 422, and why. */
  readonly invalid: string[] = [];
  readonly #script: ScriptedAnswer[] = [];
  #nextId = 4000;
  #server?: Server;

  constructor(private readonly token: string) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.#handle(req)
        .then(({ status, headers, body }) => {
          res.writeHead(status, {
            'content-type': 'application/json; charset=utf-8',
            // no idle sockets left behind when a test ends
            connection: 'close',
            ...headers,
          });
          res.end(body === undefined ? '' : JSON.stringify(body));
        })
        .catch(error => {
          res.writeHead(500);
          res.end(String(error));
        });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    await new Promise(resolve => {
      server.close(resolve);
      server.closeAllConnections();
    });
  }

  /** The next requests get these answers, in order, whatever they ask. */
  answerNext(...answers: ScriptedAnswer[]): void {
    this.#script.push(...answers);
  }

  async #handle(req: IncomingMessage): Promise<ScriptedAnswer> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const text = await new Promise<string>((resolve, reject) => {
      let data = '';
      req.setEncoding('utf8');
      req.on('data', chunk => (data += chunk));
      req.on('end', () => resolve(data));
      req.on('error', reject);
    });
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      accept: req.headers.accept,
      ...(text ? { body: JSON.parse(text) } : {}),
    };
    this.requests.push(recorded);

    const scripted = this.#script.shift();
    if (scripted) return scripted;

    const auth = recorded.authorization ?? '';
    if (auth !== `token ${this.token}` && auth !== `Bearer ${this.token}`) {
      return {
        status: 401,
        body: {
          message: 'Bad credentials',
          documentation_url: 'https://docs.github.com/rest',
        },
      };
    }

    let m = /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/.exec(url.pathname);
    if (m && req.method === 'POST')
      return this.#create(m[1], m[2], recorded.body);
    m = /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/.exec(url.pathname);
    if (m && req.method === 'PATCH') {
      return this.#update(m[1], m[2], Number(m[3]), recorded.body);
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/check-runs$/.exec(
      url.pathname,
    );
    if (m && req.method === 'GET') {
      return this.#listForRef(
        m[1],
        m[2],
        decodeURIComponent(m[3]),
        url.searchParams,
      );
    }
    return notFound();
  }

  #create(owner: string, repo: string, body: any): ScriptedAnswer {
    const problems = [
      ...(typeof body?.name === 'string' && body.name
        ? []
        : ['name is required']),
      ...(/^[0-9a-f]{40}$/.test(body?.head_sha ?? '')
        ? []
        : ['head_sha must be a commit SHA']),
      ...Object.keys(body ?? {})
        .filter(k => !CREATE_KEYS.includes(k))
        .map(k => `${k} is not a parameter of this operation`),
      ...this.#common(body),
    ];
    if (problems.length) return this.#reject(problems);
    const run: FakeCheckRun = {
      id: this.#nextId++,
      owner,
      repo,
      name: body.name,
      head_sha: body.head_sha,
      external_id: body.external_id ?? null,
      details_url: body.details_url ?? null,
      status: body.conclusion ? 'completed' : body.status ?? 'queued',
      conclusion: body.conclusion ?? null,
      started_at: body.started_at ?? null,
      completed_at: body.completed_at ?? null,
      output: {
        title: body.output?.title ?? null,
        summary: body.output?.summary ?? null,
        text: body.output?.text ?? null,
      },
    };
    this.checkRuns.push(run);
    return { status: 201, body: this.#wire(run) };
  }

  #update(owner: string, repo: string, id: number, body: any): ScriptedAnswer {
    const run = this.checkRuns.find(
      r => r.id === id && r.owner === owner && r.repo === repo,
    );
    if (!run) return notFound();
    const problems = [
      ...Object.keys(body ?? {})
        .filter(k => !CREATE_KEYS.includes(k) || k === 'head_sha')
        .map(k => `${k} is not a parameter of this operation`),
      ...this.#common(body),
    ];
    if (problems.length) return this.#reject(problems);
    for (const key of [
      'name',
      'details_url',
      'external_id',
      'started_at',
      'completed_at',
    ] as const) {
      if (body[key] !== undefined) run[key] = body[key];
    }
    if (body.status) run.status = body.status;
    if (body.conclusion) {
      run.conclusion = body.conclusion;
      run.status = 'completed';
    }
    if (body.output) {
      run.output = {
        title: body.output.title ?? null,
        summary: body.output.summary ?? null,
        text: body.output.text ?? null,
      };
    }
    return { status: 200, body: this.#wire(run) };
  }

  #listForRef(
    owner: string,
    repo: string,
    ref: string,
    query: URLSearchParams,
  ): ScriptedAnswer {
    let runs = this.checkRuns.filter(
      r =>
        r.owner === owner &&
        r.repo === repo &&
        r.head_sha === ref &&
        (!query.get('check_name') || r.name === query.get('check_name')),
    );
    if ((query.get('filter') ?? 'latest') === 'latest') {
      // GitHub's default: only the most recent check run of each name.
      runs = runs.filter(
        r => !runs.some(o => o.name === r.name && o.id > r.id),
      );
    }
    return {
      status: 200,
      body: {
        total_count: runs.length,
        check_runs: runs.map(r => this.#wire(r)),
      },
    };
  }

  /** Rules GitHub documents for both operations. */
  #common(body: any): string[] {
    const problems: string[] = [];
    if (body?.status !== undefined && !STATUSES.includes(body.status)) {
      problems.push(
        `status "${body.status}" is not one of ${STATUSES.join(', ')}`,
      );
    }
    if (
      body?.conclusion !== undefined &&
      !CONCLUSIONS.includes(body.conclusion)
    ) {
      problems.push(`conclusion "${body.conclusion}" is not allowed`);
    }
    if (
      (body?.status === 'completed' || body?.completed_at !== undefined) &&
      body?.conclusion === undefined
    ) {
      problems.push(
        'conclusion is required with status completed or completed_at',
      );
    }
    for (const key of ['started_at', 'completed_at']) {
      if (body?.[key] !== undefined && !ISO.test(body[key])) {
        problems.push(`${key} must be YYYY-MM-DDTHH:MM:SSZ`);
      }
    }
    if (body?.details_url !== undefined && !URL.canParse(body.details_url)) {
      problems.push('details_url must be a URL');
    }
    if (body?.output !== undefined) {
      if (typeof body.output.title !== 'string')
        problems.push('output.title is required');
      if (typeof body.output.summary !== 'string') {
        problems.push('output.summary is required');
      } else if (body.output.summary.length > 65535) {
        problems.push('output.summary is longer than 65535 characters');
      }
    }
    return problems;
  }

  #reject(problems: string[]): ScriptedAnswer {
    this.invalid.push(...problems);
    return {
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: problems,
        documentation_url: 'https://docs.github.com/rest/checks/runs',
      },
    };
  }

  #wire(run: FakeCheckRun) {
    const { owner, repo, ...fields } = run;
    return {
      ...fields,
      node_id: `CR_${run.id}`,
      url: `https://api.github.com/repos/${owner}/${repo}/check-runs/${run.id}`,
      html_url: `https://github.com/${owner}/${repo}/runs/${run.id}`,
      output: {
        ...run.output,
        annotations_count: 0,
        annotations_url: `https://api.github.com/repos/${owner}/${repo}/check-runs/${run.id}/annotations`,
      },
      check_suite: { id: 1 },
      app: null,
      pull_requests: [],
    };
  }
}

function notFound(): ScriptedAnswer {
  return {
    status: 404,
    body: {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
    },
  };
}
