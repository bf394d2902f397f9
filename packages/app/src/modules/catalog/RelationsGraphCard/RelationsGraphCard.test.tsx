import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  catalogGraphApiRef,
  catalogGraphRouteRef,
  DefaultCatalogGraphApi,
} from '@backstage/plugin-catalog-graph';
import type { Entity } from '@backstage/catalog-model';
import { relationsGraphEntityCard } from '../catalogModule';
import { RelationsGraphCard } from './RelationsGraphCard';
import { bigSystemCatalog, SUITE_RELATIONS } from './testCatalog';

const catalog = bigSystemCatalog(212);
const byName = (name: string) =>
  catalog.find(e => e.metadata.name === name) as Entity;

const apis = [
  catalogApiMock({ entities: catalog }),
  [catalogGraphApiRef, new DefaultCatalogGraphApi()],
] as const;

const mountedRoutes = {
  '/catalog/:namespace/:kind/:name': entityRouteRef,
  '/catalog-graph': catalogGraphRouteRef,
};

// jsdom has no SVG layout; the graph measures its nodes and labels.
beforeAll(() => {
  Object.defineProperty(window.SVGElement.prototype, 'getBBox', {
    value: () => ({ x: 0, y: 0, width: 120, height: 20 }),
    configurable: true,
  });
});

// Known noise from upstream: jsdom cannot parse one of the graph's style
// rules, and Material UI's tooltip uses findDOMNode. Anything else is shown.
const upstreamNoise =
  /Could not parse CSS stylesheet|findDOMNode is deprecated/;
// eslint-disable-next-line no-console
const consoleError = console.error;
beforeEach(() => {
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    const text = args
      .map(a => (a instanceof Error ? a.message : String(a)))
      .join(' ');
    if (!upstreamNoise.test(text)) consoleError(...args);
  });
});
afterEach(() => jest.restoreAllMocks());

/** The entity references of the drawn nodes (each node's SVG title). */
async function drawnNodes(expected: number): Promise<string[]> {
  await waitFor(
    () => expect(screen.queryAllByTestId('node')).toHaveLength(expected),
    { timeout: 10_000 },
  );
  return screen
    .getAllByTestId('node')
    .map(node => node.querySelector('title')?.textContent ?? '')
    .sort();
}

function renderCard(
  entity: Entity,
  element = <RelationsGraphCard relations={SUITE_RELATIONS} />,
) {
  return renderInTestApp(
    <Routes>
      <Route
        path="/"
        element={<EntityProvider entity={entity}>{element}</EntityProvider>}
      />
      <Route
        path="/catalog/:namespace/:kind/:name"
        element={<p>entity page</p>}
      />
    </Routes>,
    { apis, mountedRoutes },
  );
}

describe('RelationsGraphCard', () => {
  it('draws at most 30 neighbours of a system with 212 components and says so', async () => {
    await renderCard(byName('big-system'));

    const nodes = await drawnNodes(32);
    expect(nodes).toContain('system:default/big-system');
    expect(nodes).toContain('group:default/big-team');
    expect(nodes).toContain('resource:default/big-db');
    expect(nodes).not.toContain('resource:default/big-storage');
    expect(nodes.filter(n => n.startsWith('component:'))).toHaveLength(29);

    expect(
      screen.getByText(
        /^Showing 31 of 214 related entities \(at most 30 around each, 2 relations deep\)/,
      ),
    ).toBeInTheDocument();
    const fullGraph = screen.getByRole('link', { name: 'Open the full graph' });
    const url = new URL(fullGraph.getAttribute('href')!, 'http://localhost');
    expect(url.pathname).toBe('/catalog-graph');
    expect(url.searchParams.getAll('rootEntityRefs[]')).toEqual([
      'system:default/big-system',
    ]);
    expect(url.searchParams.get('maxDepth')).toBe('2');
    expect(url.searchParams.getAll('selectedRelations[]')).toEqual(
      SUITE_RELATIONS,
    );
    expect(screen.getByRole('link', { name: 'View graph' })).toHaveAttribute(
      'href',
      fullGraph.getAttribute('href'),
    );
  });

  it('labels the edges with the relations', async () => {
    await renderCard(
      byName('big-svc-001'),
      <RelationsGraphCard relations={SUITE_RELATIONS} maxDepth={1} />,
    );
    await drawnNodes(4); // the component, its system, owner and database
    const labels = screen
      .getAllByTestId('label')
      .map(label => label.textContent);
    // Each pair of relations is merged into one edge labelled with both.
    expect(labels.sort()).toEqual([
      'dependsOn / dependencyOf',
      'hasPart / partOf',
      'ownerOf / ownedBy',
    ]);
  });

  it('shows a small graph whole, without the note', async () => {
    await renderCard(byName('big-db'));
    const nodes = await drawnNodes(6);
    expect(nodes).toEqual([
      'component:default/big-svc-001',
      'group:default/big-dba',
      'group:default/big-team',
      'resource:default/big-db',
      'resource:default/big-storage',
      'system:default/big-system',
    ]);
    expect(screen.queryByText(/^Showing/)).not.toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'View graph' }),
    ).toBeInTheDocument();
  });

  it('opens the entity page of a clicked node', async () => {
    await renderCard(byName('big-db'));
    await drawnNodes(6);
    const storage = screen
      .getAllByTestId('node')
      .find(
        node =>
          node.querySelector('title')?.textContent ===
          'resource:default/big-storage',
      )!;
    await userEvent.click(storage.querySelector('text')!);
    expect(await screen.findByText('entity page')).toBeInTheDocument();
  });

  it('takes its bounds from the extension config', async () => {
    const tester = createExtensionTester(relationsGraphEntityCard, {
      config: { maxNeighbours: 10, relations: SUITE_RELATIONS },
    });
    await renderCard(
      byName('big-system'),
      tester.get(coreExtensionData.reactElement),
    );
    const nodes = await drawnNodes(12);
    expect(nodes.filter(n => n.startsWith('component:'))).toHaveLength(9);
    expect(
      screen.getByText(/^Showing 11 of 214 related entities \(at most 10/),
    ).toBeInTheDocument();
  });

  it('refuses a configured bound that is not a positive integer', () => {
    expect(() =>
      createExtensionTester(relationsGraphEntityCard, {
        config: { maxNeighbours: 0 },
      }).get(coreExtensionData.reactElement),
    ).toThrow(/Too small: expected number to be >=1 at 'maxNeighbours'/);
  });
});
