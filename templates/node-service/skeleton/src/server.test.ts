import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { createApp } from './server.js';

const server = createApp();
let base = '';

before(async () => {
  await new Promise<void>(resolve => server.listen(0, resolve));
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.close();
});

test('answers the health check', async () => {
  const res = await fetch(`${base}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
});

test('greets by name', async () => {
  const res = await fetch(`${base}/api/greeting?name=Ada`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { message: 'Hello, Ada!' });
});

test('refuses a name that is too long', async () => {
  const res = await fetch(`${base}/api/greeting?name=${'x'.repeat(101)}`);
  assert.equal(res.status, 400);
});

test('counts requests for Prometheus', async () => {
  await fetch(`${base}/nowhere`);
  const text = await (await fetch(`${base}/metrics`)).text();
  assert.match(
    text,
    /http_server_requests_seconds_count\{method="GET",uri="NOT_FOUND",status="404"\} 1/,
  );
  assert.match(text, /^nodejs_eventloop_lag_p99_seconds /m);
});
