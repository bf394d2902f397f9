import path from 'node:path';
import { Config } from '@backstage/config';

/** The default `githost.root`: the repository's ignored .data/git, seen from packages/backend. */
export const DEFAULT_GITHOST_ROOT = '../../.data/git';

/**
 * The githost settings read from config, with defaults applied.
 *
 * @public
 */
export interface GithostSettings {
  /** Absolute folder of the bare repositories. */
  root: string;
  /** Whether git clients may push without credentials. */
  allowAnonymousPush: boolean;
  /** Public URL of the githost routes, without a trailing slash. */
  baseUrl: string;
}

/** Absolute repository root from `githost.root` (relative to the working directory). */
export function readGithostRoot(config: Config): string {
  return path.resolve(
    config.getOptionalString('githost.root') ?? DEFAULT_GITHOST_ROOT,
  );
}

/** The public base URL: `githost.baseUrl`, else `<backend.baseUrl>/api/githost`. */
export function readGithostBaseUrl(config: Config): string {
  const explicit = config.getOptionalString('githost.baseUrl');
  const base =
    explicit ??
    `${config.getString('backend.baseUrl').replace(/\/+$/, '')}/api/githost`;
  return base.replace(/\/+$/, '');
}

/**
 * Reads every `githost.*` key with its default.
 *
 * @public
 */
export function readGithostSettings(config: Config): GithostSettings {
  return {
    root: readGithostRoot(config),
    allowAnonymousPush:
      config.getOptionalBoolean('githost.allowAnonymousPush') ?? false,
    baseUrl: readGithostBaseUrl(config),
  };
}
