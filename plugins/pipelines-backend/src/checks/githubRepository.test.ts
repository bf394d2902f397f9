import { parseGithubRepository } from './githubRepository';

describe('parseGithubRepository', () => {
  it.each([
    [
      'https://github.com/acme/shop.git',
      { host: 'github.com', owner: 'acme', repo: 'shop' },
    ],
    [
      'https://github.com/acme/shop',
      { host: 'github.com', owner: 'acme', repo: 'shop' },
    ],
    [
      'https://GitHub.example.com:8443/acme/shop.js.git',
      { host: 'github.example.com:8443', owner: 'acme', repo: 'shop.js' },
    ],
    [
      'ssh://git@github.com/acme/shop.git',
      { host: 'github.com', owner: 'acme', repo: 'shop' },
    ],
    [
      'git@github.com:acme/shop.git',
      { host: 'github.com', owner: 'acme', repo: 'shop' },
    ],
  ])('reads %s', (url, expected) => {
    expect(parseGithubRepository(url)).toEqual(expected);
  });

  it.each([
    undefined,
    '',
    '/srv/git/acme/shop.git',
    'file:///srv/git/acme/shop.git',
    'http://localhost:7007/api/githost/git/acme/shop.git',
    'https://github.com/acme',
    'https://github.com/acme/shop/tree/main',
    'https://github.com/acme/..',
    'not a url',
  ])('answers undefined for %p', url => {
    expect(parseGithubRepository(url)).toBeUndefined();
  });
});
