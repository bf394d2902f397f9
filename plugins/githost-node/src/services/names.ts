import { InputError } from '@backstage/errors';

/**
 * Owner and repository names: DNS-label-ish, lower case, so that they are
 * safe as path segments on every file system and in URLs without escaping.
 */
const NAME_PATTERN = /^[a-z0-9][a-z0-9-_.]{0,62}$/;

/** True when `value` is a valid owner or repository name. @public */
export function isValidRepositoryName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    NAME_PATTERN.test(value) &&
    !value.includes('..') &&
    // `<name>.git` is the folder; a name ending in .git would be ambiguous.
    !value.endsWith('.git')
  );
}

/**
 * Throws an InputError unless `owner` and `name` are valid repository
 * coordinates.
 *
 * @public
 */
export function assertRepositoryName(owner: unknown, name: unknown): void {
  for (const [what, value] of [
    ['owner', owner],
    ['repository name', name],
  ] as const) {
    if (!isValidRepositoryName(value)) {
      throw new InputError(
        `Invalid ${what} ${JSON.stringify(
          value,
        )}: use 1-63 characters of a-z, 0-9, '-', '_' and '.', starting with a letter or digit, without '..' and not ending in .git`,
      );
    }
  }
}

/**
 * Throws an InputError unless `ref` is a plausible branch, tag or commit
 * name. Refs are passed to git as arguments, so a leading '-' (an option)
 * and revision syntax (`..`, `@{`, `^`, `:` ...) are refused here.
 *
 * @public
 */
export function assertRefName(ref: unknown): asserts ref is string {
  if (
    typeof ref !== 'string' ||
    ref.length === 0 ||
    ref.length > 255 ||
    !/^[A-Za-z0-9._/-]+$/.test(ref) ||
    ref.startsWith('-') ||
    ref.startsWith('/') ||
    ref.startsWith('.') ||
    ref.endsWith('/') ||
    ref.endsWith('.') ||
    ref.endsWith('.lock') ||
    ref.includes('..') ||
    ref.includes('//') ||
    ref.includes('/.')
  ) {
    throw new InputError(`Invalid git ref ${JSON.stringify(ref)}`);
  }
}

/**
 * Normalizes a path inside a repository: relative, '/'-separated, no '.' or
 * '..' segments, no control characters. The empty string is the root.
 */
export function normalizeRepoPath(value: string): string {
  if (value.startsWith('/') || value.includes('\\')) {
    throw new InputError(
      `Invalid path ${JSON.stringify(value)}: must be relative`,
    );
  }
  const segments = value.split('/').filter(s => s !== '');
  for (const segment of segments) {
    if (
      segment === '.' ||
      segment === '..' ||
      // eslint-disable-next-line no-control-regex
      /[\u0000-\u001f\u007f]/.test(segment)
    ) {
      throw new InputError(
        `Invalid path ${JSON.stringify(
          value,
        )}: no '.', '..' or control characters`,
      );
    }
  }
  return segments.join('/');
}

/** The 40 zeros git and GitHub use for "no commit". @public */
export const ZERO_SHA = '0000000000000000000000000000000000000000';

/** True for a full 40-hex object name. */
export function isFullSha(value: string): boolean {
  return /^[0-9a-f]{40}$/.test(value);
}
