import os from 'node:os';
import path from 'node:path';
import type { Config } from '@backstage/config';

/**
 * One entry of the action registry: what runs locally for an action image.
 *
 * @public
 */
export interface LocalActionConfig {
  /** The argument vector's start; the step's args are appended. */
  command: string[];
  /** Host paths bound read-only at the same path; folders go first on PATH. */
  tools?: string[];
  /** Whether the sandbox shares the host's network. */
  network?: boolean;
  /** Environment added to the step's. */
  env?: Record<string, string>;
  description?: string;
}

/**
 * The local executor's settings (`pipelines.local`), defaults applied.
 *
 * @public
 */
export interface LocalExecutorSettings {
  workDir: string;
  keepWorkspaces: boolean;
  stepTimeoutMs: number;
  maxOutputBytes: number;
  junitReports: string[];
  /** Configured actions by image name; they replace the built-in ones. */
  actions: Map<string, LocalActionConfig>;
}

/** @public */
export const LOCAL_EXECUTOR_DEFAULTS = Object.freeze({
  stepTimeoutMs: 30 * 60 * 1000,
  maxOutputBytes: 10 * 1024 * 1024,
  junitReports: ['reports/junit*.xml'] as readonly string[],
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads `pipelines.local`. Every problem is collected and thrown at once,
 * each naming its key.
 *
 * @public
 */
export function readLocalExecutorConfig(config: Config): LocalExecutorSettings {
  const local = config.getOptionalConfig('pipelines.local');
  const problems: string[] = [];
  const key = (k: string) => `pipelines.local.${k}`;

  const workDir = path.resolve(
    local?.getOptionalString('workDir') ??
      path.join(os.tmpdir(), 'gitops-pipelines'),
  );
  const timeoutSeconds = local?.getOptionalNumber('stepTimeoutSeconds');
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0)) {
    problems.push(
      `${key(
        'stepTimeoutSeconds',
      )} must be a positive number of seconds, got ${timeoutSeconds}`,
    );
  }
  const maxOutputBytes = local?.getOptionalNumber('maxOutputBytes');
  if (
    maxOutputBytes !== undefined &&
    !(Number.isInteger(maxOutputBytes) && maxOutputBytes >= 1024)
  ) {
    problems.push(
      `${key(
        'maxOutputBytes',
      )} must be a whole number of bytes, at least 1024, got ${maxOutputBytes}`,
    );
  }
  const junitReports = local?.getOptionalStringArray('junitReports') ?? [
    ...LOCAL_EXECUTOR_DEFAULTS.junitReports,
  ];
  for (const pattern of junitReports) {
    if (
      pattern.startsWith('/') ||
      pattern.split('/').some(s => s === '..' || s === '')
    ) {
      problems.push(
        `${key(
          'junitReports',
        )} entry "${pattern}" must be a relative path inside the workspace`,
      );
    }
  }

  const actions = new Map<string, LocalActionConfig>();
  // Read as plain data: image names hold "/", which config paths cannot.
  const rawActions = local?.getOptional('actions');
  if (rawActions !== undefined && !isObject(rawActions)) {
    problems.push(
      `${key('actions')} must be a map from action image names to actions`,
    );
  }
  for (const [image, raw] of Object.entries(
    isObject(rawActions) ? rawActions : {},
  )) {
    const at = `${key('actions')}["${image}"]`;
    if (!isObject(raw)) {
      problems.push(`${at} must be an object with a "command"`);
      continue;
    }
    const command = raw.command;
    if (
      !Array.isArray(command) ||
      command.length === 0 ||
      command.some(c => typeof c !== 'string' || c.length === 0)
    ) {
      problems.push(
        `${at}.command must be a non-empty list of non-empty strings (the argument vector's start)`,
      );
    }
    const tools = raw.tools;
    if (
      tools !== undefined &&
      (!Array.isArray(tools) || tools.some(t => typeof t !== 'string'))
    ) {
      problems.push(`${at}.tools must be a list of absolute paths`);
    }
    for (const tool of Array.isArray(tools) ? tools : []) {
      if (typeof tool === 'string' && !path.isAbsolute(tool)) {
        problems.push(`${at}.tools entry "${tool}" must be an absolute path`);
      }
    }
    if (raw.network !== undefined && typeof raw.network !== 'boolean') {
      problems.push(`${at}.network must be true or false`);
    }
    if (raw.description !== undefined && typeof raw.description !== 'string') {
      problems.push(`${at}.description must be a string`);
    }
    const env: Record<string, string> = {};
    if (raw.env !== undefined && !isObject(raw.env)) {
      problems.push(`${at}.env must be a map of variable names to strings`);
    }
    for (const [name, value] of Object.entries(
      isObject(raw.env) ? raw.env : {},
    )) {
      if (!ENV_NAME.test(name)) {
        problems.push(`${at}.env key "${name}" must be a variable name`);
      } else if (typeof value !== 'string') {
        problems.push(`${at}.env.${name} must be a string`);
      } else {
        env[name] = value;
      }
    }
    actions.set(image, {
      command: Array.isArray(command) ? command.map(String) : [],
      ...(Array.isArray(tools) ? { tools: tools.map(String) } : {}),
      ...(typeof raw.network === 'boolean' ? { network: raw.network } : {}),
      ...(raw.env !== undefined ? { env } : {}),
      ...(typeof raw.description === 'string'
        ? { description: raw.description }
        : {}),
    });
  }

  if (problems.length > 0) {
    throw new Error(
      `Invalid local executor configuration:\n- ${problems.join('\n- ')}`,
    );
  }
  return {
    workDir,
    keepWorkspaces: local?.getOptionalBoolean('keepWorkspaces') ?? false,
    stepTimeoutMs:
      timeoutSeconds !== undefined
        ? timeoutSeconds * 1000
        : LOCAL_EXECUTOR_DEFAULTS.stepTimeoutMs,
    maxOutputBytes: maxOutputBytes ?? LOCAL_EXECUTOR_DEFAULTS.maxOutputBytes,
    junitReports,
    actions,
  };
}
