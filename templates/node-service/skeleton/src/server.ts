import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { Metrics } from './metrics.js';

type Handler = (url: URL) => { status: number; body: unknown };

/** The JSON routes, by method and path. */
const routes: Record<string, Handler> = {
  'GET /healthz': () => ({ status: 200, body: { status: 'ok' } }),
  'GET /api/greeting': url => {
    const name = url.searchParams.get('name')?.trim() || 'world';
    if (name.length > 100) {
      return {
        status: 400,
        body: { error: 'name is longer than 100 characters' },
      };
    }
    return { status: 200, body: { message: `Hello, ${name}!` } };
  },
};

/**
 * The service's HTTP server: `/healthz` for Kubernetes probes, one JSON
 * route, and `/metrics` for Prometheus. Not listening yet, so tests can pick
 * a free port.
 */
export function createApp(metrics = new Metrics()): Server {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const key = `${req.method} ${url.pathname}`;
    const route = routes[key] ? url.pathname : 'NOT_FOUND';
    res.on('finish', () => {
      // Scrapes are not traffic: they would flatten latency and error rates.
      if (key === 'GET /metrics') return;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe(req.method ?? 'GET', route, res.statusCode, seconds);
    });

    if (key === 'GET /metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(metrics.render());
      return;
    }
    let answer: { status: number; body: unknown };
    try {
      answer = routes[key]?.(url) ?? {
        status: 404,
        body: { error: `no route for ${key}` },
      };
    } catch (error) {
      console.error(error);
      answer = { status: 500, body: { error: 'internal error' } };
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  server.on('close', () => metrics.close());
  return server;
}
