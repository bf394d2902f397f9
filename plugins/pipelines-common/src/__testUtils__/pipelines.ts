import {
  formatProblem,
  minimalCatalogContext,
} from '@gitops/descriptors-common';
import { parseBuildInfo } from '../buildInfo';
import { expandBuildInfo } from '../expand';
import { Pipeline } from '../model';
import { BUILD_TEMPLATE_TYPES, BuildTemplateType } from '../templates';

/** A build-info.yaml text expanded for example-app; throws on problems. */
export function expandText(text: string): Pipeline {
  const parsed = parseBuildInfo({ path: 'build-info.yaml', text });
  const result = parsed.ok
    ? expandBuildInfo(
        parsed,
        minimalCatalogContext('example-app', { owner: 'team-a' }),
      )
    : parsed;
  if (!result.ok) {
    throw new Error(result.problems.map(formatProblem).join('\n'));
  }
  return result.value;
}

/** The seed's build-info: `javaBackend` with its defaults. */
export const seedPipeline = () =>
  expandText('version: 2\ntemplate:\n  type: javaBackend\n');

/** Each template with parallel work where it has the option. */
export const everyTemplate = (): [BuildTemplateType, Pipeline][] =>
  BUILD_TEMPLATE_TYPES.map(type => [
    type,
    expandText(
      `version: 2\ntemplate:\n  type: ${type}\n  ${type}: ${
        type === 'documentation' ? '{}' : '{ parallelize: true }'
      }\n`,
    ),
  ]);

/** Full pipelines of one stage per entry, each with its tasks. */
export function pipelineOf(stages: [string, string[]][]): Pipeline {
  return {
    version: '2',
    useBuildIdentity: true,
    pipelines: [
      {
        pipeline: 'Master build',
        ref: 'master',
        stages: stages.map(([stage, tasks]) => ({
          stage,
          tasks: tasks.map(task => ({
            task,
            steps: [{ action: 'alpine:3', args: ['true'] }],
          })),
        })),
      },
    ],
  };
}
