import fs from 'node:fs/promises';
import path from 'node:path';
import type { StepOutcome } from '@gitops/plugin-pipelines-node';
import type { ProcessResult } from './process';
import { SANDBOX_WORKSPACE } from './sandbox';
import { readWorkspaceFile, workspaceDir } from './workspace';

/**
 * The executor's own implementations of the publish actions. They work on
 * the workspace from the backend (copying with links kept as links, never
 * followed) and run umoci in the sandbox.
 */

export interface BuiltinContext {
  image: string;
  args: string[];
  env: Record<string, string>;
  workspace: string;
  workDir: string;
  log(text: string): Promise<void>;
  /** Runs a tool in the step's sandbox, without network. */
  sandboxed(argv: string[]): Promise<ProcessResult>;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,127}$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** `--flag value` pairs; unknown flags and missing values are problems. */
function parseFlags(
  image: string,
  args: string[],
  known: string[],
):
  | { ok: true; flags: Record<string, string> }
  | { ok: false; message: string } {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!arg.startsWith('--') || !known.includes(flag)) {
      return {
        ok: false,
        message: `${image}: unknown argument "${arg}" (expected ${known
          .map(k => `--${k}`)
          .join(', ')})`,
      };
    }
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) {
      return { ok: false, message: `${image}: --${flag} needs a value` };
    }
    flags[flag] = value;
  }
  return { ok: true, flags };
}

/** A relative folder inside the workspace, really there (links resolved). */
async function workspaceFolder(
  workspace: string,
  relative: string,
): Promise<string | undefined> {
  if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes('..')) {
    return undefined;
  }
  try {
    const real = await fs.realpath(path.join(workspace, relative));
    const root = await fs.realpath(workspace);
    if (real !== root && !real.startsWith(`${root}${path.sep}`))
      return undefined;
    return (await fs.stat(real)).isDirectory() ? real : undefined;
  } catch {
    return undefined;
  }
}

/** Left out of an image: version control, the executor's files, dev installs. */
const IMAGE_EXCLUDED = new Set(['.git', '.pipelines', 'node_modules']);

/**
 * `image-publish --image <name> --context <dir> [--tag <tag>]`: an OCI image
 * layout (umoci) with the context folder under /app, tagged with the short
 * commit SHA. Outputs IMAGE_REF (`<name>:<tag>`), IMAGE_DIGEST (the
 * manifest's `sha256:`) and IMAGE_LAYOUT (a copy of the layout under the
 * executor's work folder, kept after the run).
 */
export async function publishImage(ctx: BuiltinContext): Promise<StepOutcome> {
  const parsed = parseFlags(ctx.image, ctx.args, ['image', 'context', 'tag']);
  if (!parsed.ok) return { status: 'failed', message: parsed.message };
  const { image: name, context = '.', tag: wantedTag } = parsed.flags;
  const tag =
    wantedTag ??
    (ctx.env.COMMIT_SHA ? ctx.env.COMMIT_SHA.slice(0, 12) : 'latest');
  if (!name || !NAME.test(name)) {
    return {
      status: 'failed',
      message: `${ctx.image}: --image must be a lowercase image name, got "${
        name ?? ''
      }"`,
    };
  }
  if (!TAG.test(tag)) {
    return { status: 'failed', message: `${ctx.image}: invalid tag "${tag}"` };
  }
  const source = await workspaceFolder(ctx.workspace, context);
  if (!source) {
    return {
      status: 'failed',
      message: `${ctx.image}: --context "${context}" is not a folder inside the workspace`,
    };
  }

  const imageDir = await workspaceDir(ctx.workspace, '.pipelines', 'image');
  const staging = path.join(imageDir, `${name}-context`);
  const layout = path.join(imageDir, name);
  await fs.rm(staging, { recursive: true, force: true });
  await fs.rm(layout, { recursive: true, force: true });
  await fs.mkdir(staging);
  // Entry by entry: the staging folder is inside the context when it is `.`.
  for (const entry of await fs.readdir(source)) {
    if (IMAGE_EXCLUDED.has(entry)) continue;
    await fs.cp(path.join(source, entry), path.join(staging, entry), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }

  const inside = (p: string) =>
    path.posix.join(
      SANDBOX_WORKSPACE,
      path.relative(ctx.workspace, p).split(path.sep).join('/'),
    );
  const ref = `${inside(layout)}:${tag}`;
  const commands = [
    ['umoci', 'init', '--layout', inside(layout)],
    ['umoci', 'new', '--image', ref],
    ['umoci', 'insert', '--rootless', '--image', ref, inside(staging), '/app'],
    [
      'umoci',
      'config',
      '--image',
      ref,
      '--config.workingdir',
      '/app',
      ...(ctx.env.COMMIT_SHA
        ? [
            '--config.label',
            `org.opencontainers.image.revision=${ctx.env.COMMIT_SHA}`,
          ]
        : []),
    ],
  ];
  for (const argv of commands) {
    await ctx.log(`$ ${argv.join(' ')}\n`);
    const result = await ctx.sandboxed(argv);
    if (result.spawnError || result.exitCode !== 0) {
      await fs.rm(staging, { recursive: true, force: true });
      if (result.cancelled)
        return { status: 'cancelled', message: 'cancelled' };
      return {
        status: 'failed',
        ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
        message: `${ctx.image}: ${argv.slice(0, 2).join(' ')} failed${
          result.timedOut ? ' (timed out)' : ''
        }${result.spawnError ? `: ${result.spawnError}` : ''}`,
      };
    }
  }
  await fs.rm(staging, { recursive: true, force: true });

  const index = JSON.parse(
    (await readWorkspaceFile(
      ctx.workspace,
      path.relative(ctx.workspace, path.join(layout, 'index.json')),
      1024 * 1024,
    )) ?? '{}',
  ) as {
    manifests?: Array<{
      digest?: string;
      annotations?: Record<string, string>;
    }>;
  };
  const manifest = index.manifests?.find(
    m => m.annotations?.['org.opencontainers.image.ref.name'] === tag,
  );
  if (!manifest?.digest || !/^sha256:[a-f0-9]{64}$/.test(manifest.digest)) {
    return {
      status: 'failed',
      message: `${ctx.image}: umoci wrote no manifest for tag ${tag}`,
    };
  }
  const kept = await keptFolder(ctx.workDir, 'images', `${name}-${tag}`);
  await fs.cp(layout, kept, { recursive: true, verbatimSymlinks: true });
  const outputs = {
    IMAGE_REF: `${name}:${tag}`,
    IMAGE_DIGEST: manifest.digest,
    IMAGE_LAYOUT: kept,
  };
  await ctx.log(
    `image ${outputs.IMAGE_REF}@${outputs.IMAGE_DIGEST} (OCI layout ${kept})\n`,
  );
  return { status: 'succeeded', outputs };
}

/**
 * `static-publish --dir <dir> --site <name>`: the built folder copied to
 * `<workDir>/published/<site>` (replacing the previous copy). Outputs
 * STATIC_SITE and STATIC_SITE_DIR.
 */
export async function publishStatic(ctx: BuiltinContext): Promise<StepOutcome> {
  const parsed = parseFlags(ctx.image, ctx.args, ['dir', 'site']);
  if (!parsed.ok) return { status: 'failed', message: parsed.message };
  const { dir, site } = parsed.flags;
  if (!dir || !site || !NAME.test(site)) {
    return {
      status: 'failed',
      message: `${ctx.image}: needs --dir <folder> and --site <lowercase name>`,
    };
  }
  const source = await workspaceFolder(ctx.workspace, dir);
  if (!source) {
    return {
      status: 'failed',
      message: `${ctx.image}: --dir "${dir}" is not a folder inside the workspace (did the build write it?)`,
    };
  }
  const target = await keptFolder(ctx.workDir, 'published', site);
  await fs.cp(source, target, { recursive: true, verbatimSymlinks: true });
  await ctx.log(`published ${dir} to ${target}\n`);
  return {
    status: 'succeeded',
    outputs: { STATIC_SITE: site, STATIC_SITE_DIR: target },
  };
}

/** An empty folder `<workDir>/<kind>/<name>`, replacing an earlier one. */
async function keptFolder(workDir: string, kind: string, name: string) {
  const folder = path.join(workDir, kind, name);
  await fs.rm(folder, { recursive: true, force: true });
  await fs.mkdir(path.dirname(folder), { recursive: true });
  return folder;
}

/**
 * The deploy step when no deployer plugin provides `action-containers/deploy`:
 * records what would have been deployed and succeeds, saying so.
 */
export async function recordDeployRequest(
  ctx: BuiltinContext,
  entrypoint: string | undefined,
): Promise<StepOutcome> {
  const lines = [
    'No deployer is installed: the deploy request was recorded and nothing was deployed.',
    `  command: ${
      entrypoint
        ? `${entrypoint} -c ${JSON.stringify(ctx.args.join(' '))}`
        : JSON.stringify(ctx.args)
    }`,
    ...['COMPONENT', 'COMMIT_SHA', 'IMAGE_REF', 'IMAGE_DIGEST']
      .filter(k => ctx.env[k])
      .map(k => `  ${k}=${ctx.env[k]}`),
  ];
  await ctx.log(`${lines.join('\n')}\n`);
  return {
    status: 'succeeded',
    message: 'No deployer is installed; the deploy request was recorded.',
  };
}
