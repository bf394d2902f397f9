import { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  entityUrlLocations,
  findComponentsForRepository,
  isEntityInRepository,
} from './components';

const GITHOST = 'http://localhost:7007/api/githost';

function component(
  name: string,
  annotations: Record<string, string>,
  kind = 'Component',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

// As the catalog annotates entities registered from the local hosting
// (the Gitea integration keeps /blob/ in the source location) and from
// GitHub (which resolves the folder to /tree/).
const githostApp = component('example-app', {
  'backstage.io/managed-by-location': `url:${GITHOST}/team-a/example-app/blob/master/catalog-info.yaml`,
  'backstage.io/managed-by-origin-location': `url:${GITHOST}/team-a/example-app/blob/master/catalog-info.yaml`,
  'backstage.io/source-location': `url:${GITHOST}/team-a/example-app/blob/master/`,
});
const githostApp2 = component('example-app-2', {
  'backstage.io/managed-by-location': `url:${GITHOST}/team-a/example-app-2/blob/master/catalog-info.yaml`,
  'backstage.io/source-location': `url:${GITHOST}/team-a/example-app-2/blob/master/`,
});
const githubApp = component('artist-web', {
  'backstage.io/managed-by-location':
    'url:https://github.com/Octo-Org/example-app/blob/main/services/web/catalog-info.yaml',
  'backstage.io/source-location':
    'url:https://github.com/Octo-Org/example-app/tree/main/services/web/',
});
// Listed in a central catalog repository, its source elsewhere.
const listed = component('listed', {
  'backstage.io/managed-by-location':
    'url:https://github.com/Octo-Org/catalog/blob/main/listed.yaml',
  'backstage.io/managed-by-origin-location':
    'url:https://github.com/Octo-Org/catalog/blob/main/all.yaml',
  'backstage.io/source-location':
    'url:https://github.com/Octo-Org/example-app/tree/main/listed/',
});
const onDisk = component('on-disk', {
  'backstage.io/managed-by-location':
    'file:/work/examples/example-app/catalog-info.yaml',
  'backstage.io/managed-by-origin-location': `url:${GITHOST}/team-a/example-app/blob/master/all.yaml`,
});
const api = component(
  'example-app-api',
  {
    'backstage.io/managed-by-location': `url:${GITHOST}/team-a/example-app/blob/master/catalog-info.yaml`,
  },
  'API',
);

const entities = [githostApp, githostApp2, githubApp, listed, onDisk, api];

describe('isEntityInRepository', () => {
  it('matches exactly the repository, not one whose name starts the same', () => {
    const repo = { htmlUrl: `${GITHOST}/team-a/example-app` };
    expect(isEntityInRepository(githostApp, repo)).toBe(true);
    expect(isEntityInRepository(githostApp2, repo)).toBe(false);
    expect(
      isEntityInRepository(githostApp, {
        htmlUrl: `${GITHOST}/team-a/example-app-2`,
      }),
    ).toBe(false);
  });

  it('compares the host without regard to case, and GitHub owners too', () => {
    expect(
      isEntityInRepository(githubApp, {
        htmlUrl: 'https://GitHub.com/octo-org/Example-App',
      }),
    ).toBe(true);
    expect(
      isEntityInRepository(githostApp, {
        htmlUrl: 'http://LOCALHOST:7007/api/githost/team-a/example-app/',
      }),
    ).toBe(true);
    // The local hosting's names are the folders' names: case matters.
    expect(
      isEntityInRepository(githostApp, {
        htmlUrl: `${GITHOST}/team-a/Example-App`,
      }),
    ).toBe(false);
  });

  it('tells GitHub and the local hosting apart', () => {
    expect(
      isEntityInRepository(githostApp, {
        htmlUrl: 'https://github.com/team-a/example-app',
      }),
    ).toBe(false);
    expect(
      isEntityInRepository(githubApp, {
        htmlUrl: 'http://localhost:7007/api/githost/Octo-Org/example-app',
      }),
    ).toBe(false);
  });

  it('accepts a clone URL for the repository', () => {
    expect(
      isEntityInRepository(githubApp, {
        htmlUrl: 'https://github.com/Octo-Org/example-app.git',
      }),
    ).toBe(true);
  });

  it('does not follow the origin of an entity listed in a central repository', () => {
    expect(entityUrlLocations(listed).map(l => l.annotation)).toEqual([
      'backstage.io/managed-by-location',
      'backstage.io/source-location',
    ]);
    expect(
      isEntityInRepository(listed, {
        htmlUrl: 'https://github.com/Octo-Org/example-app',
      }),
    ).toBe(true);
    // A file location has no URL of its own: the origin is all there is.
    expect(entityUrlLocations(onDisk)).toEqual([
      {
        annotation: 'backstage.io/managed-by-origin-location',
        url: `${GITHOST}/team-a/example-app/blob/master/all.yaml`,
      },
    ]);
  });

  it('matches nothing for a URL that is no repository', () => {
    expect(isEntityInRepository(githostApp, { htmlUrl: 'not a url' })).toBe(
      false,
    );
    expect(
      isEntityInRepository(githostApp, { htmlUrl: 'http://localhost:7007/' }),
    ).toBe(false);
  });
});

describe('findComponentsForRepository', () => {
  const catalog = catalogServiceMock({ entities });
  const credentials = mockCredentials.service();
  const names = (list: Entity[]) => list.map(e => e.metadata.name);

  it('finds the components of a repository on the local hosting', async () => {
    const found = await findComponentsForRepository(
      catalog,
      { htmlUrl: `${GITHOST}/team-a/example-app` },
      credentials,
    );
    expect(names(found)).toEqual(['example-app', 'on-disk']);
    // Whole entities, for the catalog context.
    expect(found[0]).toEqual(githostApp);
  });

  it('finds the components of a GitHub repository, pages at a time', async () => {
    const found = await findComponentsForRepository(
      catalog,
      { htmlUrl: 'https://github.com/Octo-Org/example-app' },
      credentials,
      { pageSize: 1 },
    );
    expect(names(found)).toEqual(['artist-web', 'listed']);
  });

  it('finds a component listed in a central repository, where its file lives', async () => {
    const found = await findComponentsForRepository(
      catalog,
      { htmlUrl: 'https://github.com/Octo-Org/catalog' },
      credentials,
    );
    // managed-by-location points there: the file lives there.
    expect(names(found)).toEqual(['listed']);
  });

  it('asks the catalog for components with a location in the repository', async () => {
    const stream = jest.spyOn(catalog, 'streamEntities');
    await findComponentsForRepository(
      catalog,
      { htmlUrl: `${GITHOST}/team-a/example-app` },
      credentials,
    );
    expect(stream).toHaveBeenCalledWith(
      {
        query: {
          $all: [
            { kind: 'component' },
            {
              $any: [
                'backstage.io/managed-by-location',
                'backstage.io/source-location',
                'backstage.io/managed-by-origin-location',
              ].map(a => ({
                [`metadata.annotations.${a}`]: {
                  $hasPrefix: `url:${GITHOST}/team-a/example-app/`,
                },
              })),
            },
          ],
        },
        pageSize: 500,
      },
      { credentials },
    );
  });
});
