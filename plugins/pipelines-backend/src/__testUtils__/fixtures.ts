import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { EventParams } from '@backstage/plugin-events-node';

/*
 * A component on GitHub and its repository at two commits, for the plugin's
 * tests: the UrlReader answers as Backstage's GitHub reader does.
 */

export const REPO = 'https://github.com/team-a/svc';
export const GOOD = 'a'.repeat(40);
export const BROKEN = 'b'.repeat(40);

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'svc',
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': `url:${REPO}/blob/main/catalog-info.yaml`,
      'backstage.io/source-location': `url:${REPO}/tree/main/`,
    },
  },
  spec: {
    type: 'service',
    owner: 'group:default/team-a',
    lifecycle: 'production',
  },
};

export const catalogInfo = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc
spec:
  type: service
  owner: group:default/team-a
  lifecycle: production
`;

/** The repository's files at each commit, served as GitHub's reader would. */
const files: Record<string, Record<string, string>> = {
  [GOOD]: {
    'catalog-info.yaml': catalogInfo,
    'build-info.yaml': 'version: 2\ntemplate:\n  type: nodeService\n',
  },
  [BROKEN]: {
    'catalog-info.yaml': catalogInfo,
    'build-info.yaml':
      'version: 2\ntemplate:\n  type: nodeService\n  nodeService:\n    nodeVersion: 19\n',
  },
};

export const reader: UrlReaderService = {
  async readUrl(url: string) {
    const match = /\/blob\/([0-9a-f]{40})\/(.+)$/.exec(url);
    const text = match && files[match[1]]?.[match[2]];
    if (!text) throw new NotFoundError(`${url} not found`);
    return { buffer: async () => Buffer.from(text), etag: `${match![1]}` };
  },
  async readTree(url: string) {
    throw new NotFoundError(`${url} not found`);
  },
  async search(url: string) {
    throw new NotFoundError(`${url} not found`);
  },
};

export const pushEvent = (deliveryId: string, after: string): EventParams => ({
  topic: 'github.push',
  eventPayload: {
    ref: 'refs/heads/main',
    before: `${'0'.repeat(39)}1`,
    after,
    repository: {
      name: 'svc',
      full_name: 'team-a/svc',
      html_url: REPO,
      clone_url: `${REPO}.git`,
      default_branch: 'main',
      master_branch: 'main',
      owner: { name: 'team-a', login: 'team-a' },
      private: false,
    },
    pusher: { name: 'ada', email: 'ada@example.com' },
    head_commit: {
      id: after,
      message: 'Greet by name',
      timestamp: '2026-12-01T10:00:00Z',
      author: { name: 'Ada Lovelace', email: 'ada@example.com' },
      committer: { name: 'Ada Lovelace', email: 'ada@example.com' },
    },
    commits: [],
    deleted: false,
    created: false,
    forced: false,
  },
  metadata: { 'x-github-event': 'push', 'x-github-delivery': deliveryId },
});
