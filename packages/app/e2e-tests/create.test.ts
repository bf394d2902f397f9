import { test, expect } from '@playwright/test';
import { createService } from './createService';
import { shots, signInAsGuest } from './session';

// Names are unique per run, so a reused local app does not refuse them as taken.
const run = Date.now().toString(36).slice(-5);

test('a guest creates a Node Service and sees its owner and system in the graph', async ({
  page,
}) => {
  await signInAsGuest(page);
  const name = `e2e-node-${run}`;
  await createService(page, {
    template: 'Node Service',
    name,
    shot: '10-node',
  });
  const graph = page.locator('svg').filter({ hasText: name }).first();
  // The owner group is shown by its display name.
  await expect(graph).toContainText('Team A', { timeout: 60_000 });
  await expect(graph).toContainText('metadata-system');
  await page.screenshot({
    path: `${shots}/10-node-4-entity.png`,
    fullPage: true,
  });
});

test('a guest creates a Spring Boot service with a database and sees the Resource in the graph', async ({
  page,
}) => {
  await signInAsGuest(page);
  const name = `e2e-grpc-${run}`;
  await createService(page, {
    template: 'Spring Boot gRPC Service',
    name,
    tick: 'PostgreSQL database',
    shot: '20-grpc',
  });
  const graph = page.locator('svg').filter({ hasText: name }).first();
  // The catalog module emits the database Resource from kubernetes/.
  await expect(graph).toContainText(`${name}-db`, { timeout: 90_000 });
  await expect(graph).toContainText('Team A');
  await page.screenshot({
    path: `${shots}/20-grpc-4-entity.png`,
    fullPage: true,
  });
});
