import { ResponseError } from '@backstage/errors';
import { PipelinesClient } from './PipelinesClient';

const entity = { kind: 'Component', namespace: 'default', name: 'orders' };
const base = 'http://localhost:7007/api/pipelines';

function client(respond: (url: string, init?: RequestInit) => Response) {
  const fetch = jest.fn(async (url: string, init?: RequestInit) =>
    respond(url, init),
  );
  return {
    fetch,
    client: new PipelinesClient({
      discoveryApi: { getBaseUrl: async () => base },
      fetchApi: { fetch: fetch as any },
    }),
  };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('PipelinesClient', () => {
  it('lists runs with the filters and page as query parameters', async () => {
    const { client: api, fetch } = client(() =>
      json({ items: [], totalCount: 0 }),
    );
    await api.listRuns(entity, {
      pipeline: 'master',
      status: 'failed',
      ref: 'feature/x y',
      offset: 40,
      limit: 20,
    });
    expect(fetch).toHaveBeenCalledWith(
      `${base}/entities/component/default/orders/runs?pipeline=master&ref=feature%2Fx+y&status=failed&offset=40&limit=20`,
      expect.objectContaining({ method: 'GET' }),
    );
  });

  it('posts re-runs, cancels and manual runs as JSON', async () => {
    const { client: api, fetch } = client(() => json({ id: 'x' }, 201));
    await api.rerun('r1', { fromFailed: true });
    await api.cancel('r1');
    await api.startRun(entity, { pipeline: 'master' });
    expect(fetch.mock.calls.map(([url, init]) => [url, init?.body])).toEqual([
      [`${base}/runs/r1/rerun`, '{"fromFailed":true}'],
      [`${base}/runs/r1/cancel`, undefined],
      [
        `${base}/entities/component/default/orders/runs`,
        '{"pipeline":"master"}',
      ],
    ]);
  });

  it('rejects with a ResponseError carrying the backend error', async () => {
    const { client: api } = client(() =>
      json(
        {
          error: { name: 'NotAllowedError', message: 'not an owner of orders' },
          response: { statusCode: 403 },
        },
        403,
      ),
    );
    const error = await api.rerun('r1').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.body.error).toEqual({
      name: 'NotAllowedError',
      message: 'not an owner of orders',
    });
  });

  it('follows a step log from an offset through server-sent events', async () => {
    const stream =
      'event: log\ndata: {"stepId":"s","offset":5,"text":"hello","nextOffset":10,"complete":false,"truncated":false}\n\n' +
      'event: end\ndata: {}\n\n';
    const { client: api, fetch } = client(
      () =>
        new Response(stream, {
          headers: { 'content-type': 'text/event-stream' },
        }),
    );
    const ranges: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      api.followStepLog('r1', 's1', 5, {
        onLog: range => ranges.push(range),
        onEnd: resolve,
        onError: reject,
      });
    });
    expect(fetch.mock.calls[0][0]).toBe(
      `${base}/runs/r1/steps/s1/log/follow?offset=5`,
    );
    expect(ranges).toEqual([
      expect.objectContaining({ offset: 5, text: 'hello', nextOffset: 10 }),
    ]);
  });

  it('reports a log stream that ends before the step did', async () => {
    const { client: api } = client(() => new Response(''));
    const error = await new Promise<Error>(resolve => {
      api.followStepLog('r1', 's1', 0, { onLog: () => {}, onError: resolve });
    });
    expect(error.message).toBe('The log stream ended before the step finished');
  });
});
