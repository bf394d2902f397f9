import { Command, InvalidArgumentError } from 'commander';
import { validateCommand } from './commands/validate';
import { generateMonitoringCommand } from './commands/generateMonitoring';
import { renderDeploymentCommand } from './commands/renderDeployment';
import {
  expandPipelineCommand,
  PIPELINE_FORMATS,
} from './commands/expandPipeline';
import { Output } from './lib/output';

/** The options every generating command takes to find its catalog context. */
function withContextOptions(command: Command): Command {
  return command
    .option(
      '--catalog-url <url>',
      'read the catalog context from a running Backstage instead of the repository',
    )
    .option(
      '--token <token>',
      'Backstage token for --catalog-url (default: $BACKSTAGE_TOKEN)',
    );
}

function oneOf<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`must be one of: ${values.join(', ')}`);
    }
    return value as T;
  };
}

/**
 * Builds the `gitops` program. Each action stores its exit code in
 * `result.code` rather than exiting, so the program can run in tests.
 */
export function createProgram(out: Output, result: { code: number }): Command {
  const program = new Command('gitops')
    .description(
      'Validate and expand the descriptor files of a service repository ' +
        '(catalog-info.yaml, build-info.yaml, deployment-info.yaml, ' +
        'monitoring-info.yaml and kubernetes/), offline.',
    )
    .configureOutput({
      writeOut: text => out.stdout(text),
      writeErr: text => out.stderr(text),
    })
    .exitOverride()
    .showHelpAfterError();

  program
    .command('validate')
    .description(
      'Check every descriptor and manifest of a repository; each problem is ' +
        'printed as file:line:column. Exit code 1 on any problem.',
    )
    .argument('<repo-dir>', 'root of the service repository')
    .option(
      '--format <format>',
      'text or json',
      oneOf(['text', 'json'] as const),
      'text',
    )
    .action(async (dir: string, options) => {
      result.code = await validateCommand(dir, options, out);
    });

  withContextOptions(program.command('expand-pipeline'))
    .description(
      'Expand build-info.yaml into the full pipeline definition, printed as ' +
        'YAML (Tingle format, GitHub Actions workflows or Argo Workflows).',
    )
    .argument('<repo-dir>', 'root of the service repository')
    .option(
      '--format <format>',
      PIPELINE_FORMATS.join(', '),
      oneOf(PIPELINE_FORMATS),
      'tingle',
    )
    .option(
      '--out <dir>',
      'write the files into this folder instead of printing them',
    )
    .action(async (dir: string, options) => {
      result.code = await expandPipelineCommand(dir, options, out);
    });

  withContextOptions(program.command('generate-monitoring'))
    .description(
      'Generate Grafana dashboards, Prometheus alerting rules and ' +
        'Alertmanager routes from monitoring-info.yaml into --out: ' +
        'dashboards/*.json, prometheus/rules.yaml, alertmanager/routes.yaml.',
    )
    .argument('<repo-dir>', 'root of the service repository')
    .requiredOption('--out <dir>', 'folder to write the generated files into')
    .action(async (dir: string, options) => {
      result.code = await generateMonitoringCommand(dir, options, out);
    });

  withContextOptions(program.command('render-deployment'))
    .description(
      'Render deployment-info.yaml and kubernetes/ into the Kubernetes ' +
        'objects to apply for a commit and an environment (multi-document ' +
        'YAML): images pinned to the commit, namespace per component, and ' +
        'an Argo Rollouts canary when automatedCanary is declared.',
    )
    .argument('<repo-dir>', 'root of the service repository')
    .requiredOption(
      '--commit <sha>',
      'the commit being deployed (7 to 40 hex characters)',
    )
    .option('--environment <env>', 'target environment', 'production')
    .option(
      '--registry <host/path>',
      'container registry for images that name none',
    )
    .option(
      '--out <dir>',
      'write the files into this folder instead of printing them',
    )
    .action(async (dir: string, options) => {
      result.code = await renderDeploymentCommand(dir, options, out);
    });

  return program;
}

/** Runs the program on argv (without node and script) and returns the exit code. */
export async function runCli(argv: string[], out: Output): Promise<number> {
  const result = { code: 0 };
  const program = createProgram(out, result);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    const e = error as { code?: string; exitCode?: number; message?: string };
    if (e.code?.startsWith('commander.')) {
      return e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version'
        ? 0
        : e.exitCode ?? 1;
    }
    out.stderr(`gitops: ${e.message ?? String(error)}\n`);
    return 1;
  }
  return result.code;
}
