import { dnsLabelProblem, serviceNameProblem } from './serviceName';

describe('dnsLabelProblem', () => {
  it.each(['a', 'artist-lookup', '7digital', 'a1-b2', 'x'.repeat(63)])(
    'accepts %s',
    name => {
      expect(dnsLabelProblem(name)).toBeUndefined();
    },
  );

  it.each([
    ['Artist', 'must be lowercase'],
    ['-artist', 'must start and end with a letter or digit'],
    ['artist-', 'must start and end with a letter or digit'],
    ['artist_lookup', 'may contain only lowercase letters, digits and "-"'],
    ['artist.lookup', 'may contain only lowercase letters, digits and "-"'],
    ['x'.repeat(64), 'must be at most 63 characters, not 64'],
  ])('refuses %s', (name, message) => {
    expect(dnsLabelProblem(name)).toContain(message);
  });
});

describe('serviceNameProblem', () => {
  const catalog = (names: string[]) => ({
    getEntityByRef: jest.fn(async (ref: any) =>
      names.includes(ref.name)
        ? { apiVersion: 'v1', kind: 'Component', metadata: { name: ref.name } }
        : undefined,
    ),
  });

  it('reports a component that already has the name', async () => {
    const api = catalog(['example-app']);
    await expect(serviceNameProblem('example-app', api)).resolves.toBe(
      'a component named example-app already exists',
    );
    expect(api.getEntityByRef).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'example-app',
    });
  });

  it('accepts a free name', async () => {
    await expect(
      serviceNameProblem('artist-lookup', catalog(['example-app'])),
    ).resolves.toBeUndefined();
  });

  it('does not ask the catalog about a name that is not a DNS label', async () => {
    const api = catalog([]);
    await expect(serviceNameProblem('Bad_Name', api)).resolves.toBe(
      'must be lowercase',
    );
    expect(api.getEntityByRef).not.toHaveBeenCalled();
  });
});
