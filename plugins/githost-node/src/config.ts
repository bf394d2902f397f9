import path from 'node:path';
import { Config } from '@backstage/config';

/** The default `githost.root`: the repository's ignored .data/git, seen from packages/backend. */
export const DEFAULT_GITHOST_ROOT = '../../.data/git';

/**
 * The bounds of the git hosting, with their defaults (`githost.limits.*`).
 *
 * @public
 */
export interface GithostLimits {
  /** Largest push request (the pack, after decompression), in bytes; also git's `receive.maxInputSize`. */
  maxPushBytes: number;
  /** Most refs one push may update. */
  maxRefsPerPush: number;
  /** A push slower than this (bytes per second, over 10 seconds) is cut off. */
  minPushBytesPerSecond: number;
  /** Longest time a push request may take to arrive, in seconds. */
  pushTimeoutSeconds: number;
  /** Largest file served by the blob route and the URL reader, in bytes. */
  maxBlobBytes: number;
  /** Most file reads (blob route, URL reader) served at the same time; others wait. */
  maxConcurrentReads: number;
}

/** The defaults of {@link GithostLimits}. @public */
export const DEFAULT_GITHOST_LIMITS: GithostLimits = {
  maxPushBytes: 32 * 1024 * 1024,
  maxRefsPerPush: 50,
  minPushBytesPerSecond: 10 * 1024,
  pushTimeoutSeconds: 120,
  maxBlobBytes: 16 * 1024 * 1024,
  maxConcurrentReads: 8,
};

/**
 * Which branches refuse force-pushes and deletion (`githost.branchProtection`).
 *
 * @public
 */
export interface BranchProtectionRule {
  /** Whether the repository's default branch (what HEAD points at) is protected. */
  defaultBranch: boolean;
  /** Further protected branch names (without `refs/heads/`). */
  branches: string[];
}

/** The protection settings: one rule for every repository, and per-repository overrides. @public */
export interface BranchProtectionSettings {
  rule: BranchProtectionRule;
  /** Per `owner/name`: replaces `rule` for that repository. */
  repositories: Record<string, BranchProtectionRule>;
}

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
  /**
   * Origins (`scheme://host:port`) requests may be addressed to: those of
   * `backend.baseUrl`, `app.baseUrl` and `githost.baseUrl`. Requests with
   * another `Host` or `Origin` are refused.
   */
  allowedOrigins: string[];
  limits: GithostLimits;
  branchProtection: BranchProtectionSettings;
}

/**
 * Absolute repository root from `githost.root` (relative to the working
 * directory).
 *
 * @public
 */
export function readGithostRoot(config: Config): string {
  return path.resolve(
    config.getOptionalString('githost.root') ?? DEFAULT_GITHOST_ROOT,
  );
}

/**
 * The public base URL: `githost.baseUrl`, else
 * `<backend.baseUrl>/api/githost`.
 *
 * @public
 */
export function readGithostBaseUrl(config: Config): string {
  const explicit = config.getOptionalString('githost.baseUrl');
  const base =
    explicit ??
    `${config.getString('backend.baseUrl').replace(/\/+$/, '')}/api/githost`;
  return base.replace(/\/+$/, '');
}

/**
 * `githost.limits.*` with their defaults; a limit that is not a positive
 * number is refused.
 *
 * @public
 */
export function readGithostLimits(config: Config): GithostLimits {
  const limits = { ...DEFAULT_GITHOST_LIMITS };
  for (const key of Object.keys(limits) as Array<keyof GithostLimits>) {
    const value = config.getOptionalNumber(`githost.limits.${key}`);
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(
        `githost.limits.${key} must be a positive number, got ${value}`,
      );
    }
    limits[key] = value;
  }
  return limits;
}

function readRule(
  config: Config | undefined,
  fallback: BranchProtectionRule,
): BranchProtectionRule {
  return {
    defaultBranch:
      config?.getOptionalBoolean('defaultBranch') ?? fallback.defaultBranch,
    branches: config?.getOptionalStringArray('branches') ?? fallback.branches,
  };
}

function readBranchProtection(config: Config): BranchProtectionSettings {
  const section = config.getOptionalConfig('githost.branchProtection');
  const rule = readRule(section, { defaultBranch: true, branches: [] });
  const repositories: Record<string, BranchProtectionRule> = {};
  for (const repo of section?.getOptionalConfigArray('repositories') ?? []) {
    repositories[repo.getString('repository')] = readRule(repo, rule);
  }
  return { rule, repositories };
}

/**
 * The protection rule of one repository: its entry under
 * `githost.branchProtection.repositories`, else the rule for every repository.
 *
 * @public
 */
export function branchProtectionFor(
  settings: BranchProtectionSettings,
  owner: string,
  name: string,
): BranchProtectionRule {
  return settings.repositories[`${owner}/${name}`] ?? settings.rule;
}

function readAllowedOrigins(config: Config, baseUrl: string): string[] {
  const origins = new Set<string>();
  for (const url of [
    config.getOptionalString('backend.baseUrl'),
    config.getOptionalString('app.baseUrl'),
    baseUrl,
  ]) {
    if (url) origins.add(new URL(url).origin);
  }
  return [...origins];
}

/**
 * Reads every `githost.*` key with its default.
 *
 * @public
 */
export function readGithostSettings(config: Config): GithostSettings {
  const baseUrl = readGithostBaseUrl(config);
  return {
    root: readGithostRoot(config),
    allowAnonymousPush:
      config.getOptionalBoolean('githost.allowAnonymousPush') ?? false,
    baseUrl,
    allowedOrigins: readAllowedOrigins(config, baseUrl),
    limits: readGithostLimits(config),
    branchProtection: readBranchProtection(config),
  };
}
