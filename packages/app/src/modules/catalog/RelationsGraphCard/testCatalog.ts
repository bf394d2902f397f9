import type { Entity } from '@backstage/catalog-model';

/** The relation types the suite's graph follows (app-config.yaml). */
export const SUITE_RELATIONS = [
  'ownedBy',
  'ownerOf',
  'partOf',
  'hasPart',
  'dependsOn',
  'dependencyOf',
  'providesApi',
  'apiProvidedBy',
  'consumesApi',
  'apiConsumedBy',
];

const pad = (n: number) => String(n).padStart(3, '0');

/**
 * A test catalog with the relations the catalog would compute: the group
 * big-team owns the system big-system and its `count` components
 * big-svc-001...; big-svc-001 depends on the resource big-db, which depends
 * on big-storage (three relations from the system); both resources belong to
 * the group big-dba.
 */
export function bigSystemCatalog(count: number): Entity[] {
  const names = Array.from(
    { length: count },
    (_, i) => `big-svc-${pad(i + 1)}`,
  );
  const rel = (type: string, targetRef: string) => ({ type, targetRef });
  const entity = (
    kind: string,
    name: string,
    relations: Array<{ type: string; targetRef: string }>,
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
    spec: {},
    relations,
  });
  return [
    entity('Group', 'big-team', [
      rel('ownerOf', 'system:default/big-system'),
      ...names.map(n => rel('ownerOf', `component:default/${n}`)),
    ]),
    entity('Group', 'big-dba', [
      rel('ownerOf', 'resource:default/big-db'),
      rel('ownerOf', 'resource:default/big-storage'),
    ]),
    entity('System', 'big-system', [
      rel('ownedBy', 'group:default/big-team'),
      ...names.map(n => rel('hasPart', `component:default/${n}`)),
    ]),
    ...names.map((n, i) =>
      entity('Component', n, [
        rel('ownedBy', 'group:default/big-team'),
        rel('partOf', 'system:default/big-system'),
        ...(i === 0 ? [rel('dependsOn', 'resource:default/big-db')] : []),
      ]),
    ),
    entity('Resource', 'big-db', [
      rel('ownedBy', 'group:default/big-dba'),
      rel('dependencyOf', `component:default/${names[0]}`),
      rel('dependsOn', 'resource:default/big-storage'),
    ]),
    entity('Resource', 'big-storage', [
      rel('ownedBy', 'group:default/big-dba'),
      rel('dependencyOf', 'resource:default/big-db'),
    ]),
  ];
}
