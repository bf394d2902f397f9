import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { parseAllDocuments, parse } from 'yaml';
import { platformGroupFromConfig } from './subject';

const root = path.resolve(__dirname, '../../..');

function documents(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(path.join(root, file), 'utf8'))
    .map(d => d.toJS())
    .filter(Boolean);
}

const appConfig = parse(
  fs.readFileSync(path.join(root, 'app-config.yaml'), 'utf8'),
);
const org = documents('examples/org.yaml');
const groups = org.filter(e => e.kind === 'Group').map(e => e.metadata.name);
// The example services and what they produce (APIs, Resources).
const exampleEntities = fs
  .readdirSync(path.join(root, 'examples'), { withFileTypes: true })
  .filter(d => d.isDirectory())
  .flatMap(d => documents(`examples/${d.name}/catalog-info.yaml`));

/**
 * The local default (app-config.yaml and examples/) under the policy: the
 * guest manages the example teams' services from the browser and is not a
 * platform member. Breaks when a team, the guest or the group is renamed on
 * one side only.
 */
describe('the local default', () => {
  const guestRef: string = appConfig.auth.providers.guest.userEntityRef;
  const guest = org.find(
    e => e.kind === 'User' && `user:default/${e.metadata.name}` === guestRef,
  );

  it('signs the guest in as a User of examples/org.yaml', () => {
    expect(guestRef).toBe('user:default/guest');
    expect(guest).toBeDefined();
  });

  it('makes the guest a member of every team that owns an example service', () => {
    const owners = new Set(
      exampleEntities.map(e => e.spec?.owner).filter(Boolean),
    );
    expect([...owners].sort()).toEqual(['team-a', 'team-web']);
    for (const owner of owners) {
      expect(groups).toContain(owner);
      expect(guest.spec.memberOf).toContain(owner);
    }
  });

  it('names a platform group of examples/org.yaml, which the guest is not a member of', () => {
    const platformGroup = platformGroupFromConfig(new ConfigReader(appConfig));
    expect(platformGroup).toBe('group:default/platform');
    expect(groups).toContain('platform');
    expect(guest.spec.memberOf).not.toContain('platform');
  });
});
