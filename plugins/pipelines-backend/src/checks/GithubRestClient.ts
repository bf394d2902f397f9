/** How calls that GitHub asks to repeat are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the second attempt, doubled for each next one (ms). */
  baseDelayMs: number;
  /** No wait is longer than this, whatever `Retry-After` says (ms). */
  maxDelayMs: number;
}

/** @internal */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
};

/** A call to GitHub's REST API that failed for good. */
export class GithubApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    /** The HTTP status, or undefined when no answer came. */
    readonly status: number | undefined,
    detail: string,
  ) {
    super(
      `${method} ${path} ${
        status === undefined ? 'failed' : `answered ${status}`
      }: ${detail}`,
    );
    this.name = 'GithubApiError';
  }
}

/**
 * A few calls to one GitHub host's REST API, with the integration's
 * credentials. Server errors, secondary rate limits and lost connections
 * are retried with backoff, honouring `Retry-After`; other errors are
 * thrown as {@link GithubApiError}, whose message never holds the token.
 */
export class GithubRestClient {
  constructor(
    private readonly options: {
      apiBaseUrl: string;
      /** The credentials' headers (`Authorization`), read for each call. */
      headers: () => Promise<Record<string, string>>;
      retry: RetryPolicy;
      sleep: (ms: number) => Promise<void>;
    },
  ) {}

  async request<T>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const { retry, sleep } = this.options;
    const url = `${this.options.apiBaseUrl.replace(/\/+$/, '')}${path}`;
    const display = path.split('?')[0];
    for (let attempt = 1; ; attempt++) {
      const headers = await this.options.headers();
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: {
            ...headers,
            Accept: 'application/vnd.github+json',
            'X-GitHub-Api-Version': '2022-11-28',
            ...(body === undefined
              ? {}
              : { 'Content-Type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          redirect: 'error',
        });
      } catch (error) {
        const detail = scrub(causeOf(error), headers);
        if (attempt >= retry.attempts) {
          throw new GithubApiError(method, display, undefined, detail);
        }
        await sleep(backoff(retry, attempt));
        continue;
      }
      const text = await response.text();
      if (response.ok) {
        return (text ? JSON.parse(text) : undefined) as T;
      }
      const message = scrub(githubMessage(text), headers);
      const wait = retryDelay(response, message, retry, attempt);
      if (wait === undefined || attempt >= retry.attempts) {
        throw new GithubApiError(method, display, response.status, message);
      }
      await sleep(wait);
    }
  }
}

/** How long to wait before repeating an answer, or undefined: don't. */
function retryDelay(
  response: Response,
  message: string,
  retry: RetryPolicy,
  attempt: number,
): number | undefined {
  const status = response.status;
  const retryAfter = Number(response.headers.get('retry-after'));
  const hasRetryAfter =
    response.headers.has('retry-after') && Number.isFinite(retryAfter);
  const rateLimited =
    status === 429 ||
    (status === 403 &&
      (hasRetryAfter ||
        response.headers.get('x-ratelimit-remaining') === '0' ||
        /rate limit/i.test(message)));
  if (status < 500 && !rateLimited) return undefined;
  if (hasRetryAfter) {
    return Math.min(Math.max(0, retryAfter) * 1000, retry.maxDelayMs);
  }
  const reset = Number(response.headers.get('x-ratelimit-reset'));
  if (
    rateLimited &&
    response.headers.get('x-ratelimit-remaining') === '0' &&
    reset
  ) {
    return Math.min(Math.max(0, reset * 1000 - Date.now()), retry.maxDelayMs);
  }
  // GitHub asks for at least a minute between tries after a secondary
  // limit without Retry-After; the cap keeps a run's queue moving.
  return rateLimited ? retry.maxDelayMs : backoff(retry, attempt);
}

function backoff(retry: RetryPolicy, attempt: number): number {
  return Math.min(retry.baseDelayMs * 2 ** (attempt - 1), retry.maxDelayMs);
}

function githubMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; errors?: unknown };
    if (typeof body.message === 'string') {
      const errors = Array.isArray(body.errors)
        ? ` (${body.errors
            .map(e => (typeof e === 'string' ? e : JSON.stringify(e)))
            .join('; ')})`
        : '';
      return `${body.message}${errors}`.slice(0, 500);
    }
  } catch {
    // not JSON: a proxy's page
  }
  return text.slice(0, 200) || 'no body';
}

function causeOf(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string } };
  return (
    [e?.message, e?.cause?.message].filter(Boolean).join(': ') || String(error)
  );
}

/** Takes any credential out of a text that will be logged. */
function scrub(text: string, headers: Record<string, string>): string {
  let out = text;
  for (const value of Object.values(headers)) {
    for (const secret of [
      value,
      value.replace(/^(token|bearer|basic)\s+/i, ''),
    ]) {
      if (secret.length >= 4) out = out.split(secret).join('***');
    }
  }
  return out;
}
