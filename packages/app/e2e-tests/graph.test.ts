import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, Page } from '@playwright/test';
import { shots, signInAsGuest } from './session';

/**
 * The catalog graph with a large neighbourhood: fleet-system has 212
 * components (fixtures/fleet, registered by app-config.e2e.yaml only).
 * The Relations card bounds the graph (depth 2, at most 30 related entities
 * around each, 50 in all) and says what it left out; the catalog graph page
 * draws the full graph two relations deep.
 */

const root = path.resolve(__dirname, '../../..');

/** The graph's nodes: each is a `g` whose SVG title is its entity ref. */
const graphNodes = (page: Page) => page.locator('g[data-testid="node"]');

/**
 * Lets the graph's nodes finish moving into place before a screenshot (the
 * layout animates); only the pictures depend on it, no assertion does.
 */
const settled = (page: Page) => page.waitForTimeout(1_000);

/** The entity refs of the drawn nodes. */
async function drawnRefs(page: Page): Promise<string[]> {
  return (await graphNodes(page).locator('title').allTextContents()).sort();
}

/** Opens fleet-system's page once the catalog has ingested all of it. */
async function openFleetSystem(page: Page) {
  // The catalog ingests the fixture shortly after a fresh start; the
  // system's page lists its components once they are all processed.
  await expect(async () => {
    await page.goto('/catalog/default/system/fleet-system');
    await expect(
      page.getByRole('heading', { level: 2, name: 'fleet-system' }),
    ).toBeVisible();
    await expect(
      page.getByText(/^Showing 31 of 214 related entities/),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 120_000 });
}

test('the e2e catalog registers every location of app-config.yaml', () => {
  // app-config.e2e.yaml repeats them: a list in a later config file
  // replaces the earlier one.
  const targets = (file: string) =>
    [
      ...readFileSync(path.join(root, file), 'utf8').matchAll(
        /^ +- type: file\n +target: (\S+)$/gm,
      ),
    ].map(m => m[1]);
  const dev = targets('app-config.yaml');
  expect(dev.length).toBeGreaterThan(0);
  expect(targets('app-config.e2e.yaml')).toEqual([
    ...dev,
    '../app/e2e-tests/fixtures/fleet/catalog-info.yaml',
    '../app/e2e-tests/fixtures/platform-service/catalog-info.yaml',
  ]);
});

test("a system with 212 components: the card's graph is bounded and says so", async ({
  page,
}) => {
  await signInAsGuest(page);
  await openFleetSystem(page);

  const card = page.locator('article, section, div').filter({
    has: page.getByRole('heading', { name: 'Relations' }),
  });
  const note = page.getByText(/^Showing 31 of 214 related entities/);
  await expect(note).toContainText('at most 30 around each, 2 relations deep');

  // 1 system + its owner + 29 components (30 around the system) + the
  // database fleet-svc-001 depends on; nothing three relations away.
  await expect(graphNodes(page)).toHaveCount(32);
  const refs = await drawnRefs(page);
  expect(refs).toContain('system:default/fleet-system');
  expect(refs).toContain('group:default/fleet-team');
  expect(refs).toContain('resource:default/fleet-db');
  expect(refs).not.toContain('resource:default/fleet-storage');
  expect(refs).not.toContain('group:default/fleet-dba');
  expect(refs.filter(r => r.startsWith('component:'))).toHaveLength(29);
  // The edges name their relations.
  await expect(
    page.locator('g[data-testid="label"]').filter({ hasText: 'hasPart' }),
  ).toHaveCount(29);
  await expect(
    page
      .locator('g[data-testid="label"]')
      .filter({ hasText: 'ownerOf / ownedBy' })
      .first(),
  ).toBeVisible();
  await card.first().scrollIntoViewIfNeeded();
  await settled(page);
  await page.screenshot({ path: `${shots}/graph-01-card.png` });

  // The page stays interactive: a click on a node opens that entity.
  await graphNodes(page)
    .filter({
      has: page.locator('title', { hasText: /^group:default\/fleet-team$/ }),
    })
    .click();
  await expect(page).toHaveURL(/\/catalog\/default\/group\/fleet-team/);
  // The page's title (the group's profile card repeats the name in an h3).
  await expect(
    page.getByRole('heading', { level: 2, name: 'Fleet Team' }),
  ).toBeVisible();
  // The team owns the system and 212 components: its card keeps the system
  // and 29 of them.
  await expect(
    page.getByText(/^Showing 31 of 214 related entities/),
  ).toBeVisible();
  await expect(graphNodes(page)).toHaveCount(32);
  expect(await drawnRefs(page)).toContain('system:default/fleet-system');
  await page.goBack();
  await expect(note).toBeVisible();

  // The note's link opens the full graph on the system.
  await note.getByRole('link', { name: 'Open the full graph' }).click();
  await expect(page).toHaveURL(/\/catalog-graph\?/);
  const url = new URL(page.url());
  expect(url.searchParams.getAll('rootEntityRefs[]')).toEqual([
    'system:default/fleet-system',
  ]);
  expect(url.searchParams.get('maxDepth')).toBe('2');
});

test('the catalog graph page draws the full graph two relations deep and stays interactive', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openFleetSystem(page);

  await page.goto(
    '/catalog-graph?rootEntityRefs[]=system:default/fleet-system&maxDepth=2',
  );
  await expect(
    page.getByRole('heading', { name: 'Catalog Graph' }),
  ).toBeVisible();
  // The full graph at depth 2: the system, its owner, its 212 components
  // and fleet-svc-001's database; fleet-storage and fleet-dba are three
  // relations away.
  await expect(graphNodes(page)).toHaveCount(215, { timeout: 60_000 });
  const refs = await drawnRefs(page);
  expect(refs).toContain('resource:default/fleet-db');
  expect(refs).not.toContain('resource:default/fleet-storage');
  expect(refs).not.toContain('group:default/fleet-dba');
  await expect(page.locator('svg#dependency-graph')).toBeVisible();
  await settled(page);
  await page.screenshot({ path: `${shots}/graph-02-page.png` });

  // Interactive with 215 nodes: the filters fold away and come back, and
  // a click on a node makes it the root.
  const filters = page.getByRole('button', { name: /filters/i });
  await filters.click();
  await expect(page.getByText('Max Depth', { exact: false })).toBeHidden();
  await filters.click();
  await expect(page.getByText('Max Depth', { exact: false })).toBeVisible();

  await graphNodes(page)
    .filter({
      has: page.locator('title', { hasText: /^resource:default\/fleet-db$/ }),
    })
    .click();
  await expect(page).toHaveURL(
    /rootEntityRefs%5B%5D=resource%3Adefault%2Ffleet-db/,
  );
  // fleet-db's graph: fleet-svc-001, fleet-storage and fleet-dba, then
  // fleet-svc-001's system and owner.
  await expect(graphNodes(page)).toHaveCount(6);
  await settled(page);
  await page.screenshot({ path: `${shots}/graph-03-page-rerooted.png` });
});
