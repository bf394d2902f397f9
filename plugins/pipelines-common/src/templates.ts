import { z } from 'zod';
import { CatalogContext } from '@gitops/descriptors-common';
import { PipelineDefinition, Stage, Step } from './model';

/**
 * The build template library: each stack of the suite's software templates
 * has one. A template turns its options and the catalog context into the
 * pipelines of the component.
 */

/** Ref of review builds: the merge commit of a pull request. @public */
export const REVIEW_REF = 'pr/./merge';
/** Ref of master builds. @public */
export const MASTER_REF = 'master';
/** Pipeline names, as in the seed. @public */
export const REVIEW_PIPELINE = 'Review build';
/** @public */
export const MASTER_PIPELINE = 'Master build';
/** The deploy stage's name, as in the seed. @public */
export const DEPLOY_STAGE = 'Deployment - production';
/** The stage added before the deploy stage for each database dependency. @public */
export const MIGRATION_STAGE = 'Database migration';

/** @public */
export interface BuildTemplate<O extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly description: string;
  /** Options, read from `template.<type>` in build-info.yaml. */
  readonly options: O;
  expand(options: z.infer<O>, context: CatalogContext): PipelineDefinition[];
}

function defineTemplate<O extends z.ZodType>(
  t: BuildTemplate<O>,
): BuildTemplate<O> {
  return t;
}

const step = (action: string, args: string[], entrypoint?: string): Step =>
  entrypoint ? { action, args, entrypoint } : { action, args };

/**
 * The seed's deploy stage: the deploy action container with a shell, which
 * hands the component to the deployment system (Tugboat) for this commit.
 */
function deployStage(context: CatalogContext): Stage {
  const name = context.component.name;
  return {
    stage: DEPLOY_STAGE,
    tasks: [
      {
        task: 'deploy',
        steps: [
          step(
            'action-containers/deploy:latest',
            [
              `deploy ${name} --entity-id=${name} --path=. --git-commit=$COMMIT_SHA`,
            ],
            '/bin/bash',
          ),
        ],
      },
    ],
  };
}

/**
 * Database migrations before deploy: one step per database the component
 * depends on (catalog graph), reading migrations from `db/migrations`.
 */
function migrationStages(context: CatalogContext): Stage[] {
  const databases = context.dependsOn.filter(r => r.type === 'database');
  if (databases.length === 0) return [];
  return [
    {
      stage: MIGRATION_STAGE,
      tasks: [
        {
          task: 'migrate',
          steps: databases.map(db =>
            step('action-containers/db-migrate:latest', [
              'migrate',
              `--instance=${db.name}`,
              ...(db.engine ? [`--engine=${db.engine}`] : []),
              '--migrations=db/migrations',
            ]),
          ),
        },
      ],
    },
  ];
}

/** Review and master pipelines around the stack's own build stages. */
function standardPipelines(
  context: CatalogContext,
  review: Stage[],
  master: Stage[],
  deploys: boolean,
): PipelineDefinition[] {
  return [
    { pipeline: REVIEW_PIPELINE, ref: REVIEW_REF, stages: review },
    {
      pipeline: MASTER_PIPELINE,
      ref: MASTER_REF,
      stages: deploys
        ? [...master, ...migrationStages(context), deployStage(context)]
        : master,
    },
  ];
}

/** Java major versions the Maven action images exist for. @public */
export type JavaVersion = 11 | 17 | 21 | 25;

/** Node.js major versions the action images exist for. @public */
export type NodeVersion = 20 | 22 | 24;

/** Options of the `javaBackend` template, defaults applied. @public */
export interface JavaBackendOptions {
  javaVersion: JavaVersion;
  parallelize: boolean;
}

/** Options of the `nodeService` and `nextjs` templates, defaults applied. @public */
export interface NodeServiceOptions {
  nodeVersion: NodeVersion;
  parallelize: boolean;
}

/** Options of the `staticWebApp` template, defaults applied. @public */
export interface StaticWebAppOptions extends NodeServiceOptions {
  outputDir: string;
}

/** Options of the `documentation` template, defaults applied. @public */
export interface DocumentationOptions {
  docsDir: string;
}

/** A template's options schema, typed by what it yields. @public */
export type BuildTemplateOptions<T> = z.ZodType<T, unknown>;

/** A number from a fixed list, with a message that names the list. */
function oneOf<T extends number>(values: readonly [T, ...T[]]) {
  return z.literal(values, { error: `must be one of ${values.join(', ')}` });
}

const nodeVersion = oneOf([20, 22, 24])
  .default(22)
  .describe('Node.js major version of the action image');
const parallelize = z
  .boolean()
  .default(false)
  .describe('run independent work in parallel');

/**
 * The Node build steps: install, then lint, test and build. With
 * `parallelize`, lint and test become parallel tasks of the Build stage (each
 * installs in its own workspace) and the build runs after them.
 */
function nodeBuildStages(
  image: string,
  parallel: boolean,
  extra: Step[],
): Stage[] {
  const ci = step(image, ['ci']);
  if (!parallel) {
    return [
      {
        stage: 'Build',
        tasks: [
          {
            task: 'npm',
            steps: [
              ci,
              step(image, ['run', 'lint']),
              step(image, ['test']),
              step(image, ['run', 'build']),
              ...extra,
            ],
          },
        ],
      },
    ];
  }
  return [
    {
      stage: 'Check',
      tasks: [
        { task: 'lint', steps: [ci, step(image, ['run', 'lint'])] },
        { task: 'test', steps: [ci, step(image, ['test'])] },
      ],
    },
    {
      stage: 'Build',
      tasks: [
        { task: 'npm', steps: [ci, step(image, ['run', 'build']), ...extra] },
      ],
    },
  ];
}

const publishImage = (context: CatalogContext) =>
  step('action-containers/image-publish:latest', [
    '--image',
    context.component.name,
    '--context',
    '.',
  ]);

/** @public */
export const javaBackendTemplate: BuildTemplate<
  BuildTemplateOptions<JavaBackendOptions>
> = defineTemplate({
  type: 'javaBackend',
  description:
    'Maven build of a Java backend: `clean verify` on review, `clean deploy` then deploy to production on master.',
  options: z.strictObject({
    javaVersion: oneOf([11, 17, 21, 25])
      .default(17)
      .describe(
        'Java major version; picks the action-containers/mvn-javaNN image',
      ),
    parallelize: parallelize.describe(
      "build Maven modules in parallel, one thread per core (Maven's -T 1C)",
    ),
  }),
  expand(options, context) {
    const image = `action-containers/mvn-java${options.javaVersion}:latest`;
    const maven = (...goals: string[]): Stage => ({
      stage: 'Build',
      tasks: [
        {
          task: 'maven',
          steps: [
            step(image, [
              ...(options.parallelize ? ['-T', '1C'] : []),
              ...goals,
            ]),
          ],
        },
      ],
    });
    return standardPipelines(
      context,
      [maven('clean', 'verify')],
      [maven('clean', 'deploy')],
      true,
    );
  },
});

/** @public */
export const nodeServiceTemplate: BuildTemplate<
  BuildTemplateOptions<NodeServiceOptions>
> = defineTemplate({
  type: 'nodeService',
  description:
    'npm build of a Node.js service: install, lint, test and build on review; the same plus an image publish and a deploy on master.',
  options: z.strictObject({ nodeVersion, parallelize }),
  expand(options, context) {
    const image = `action-containers/node${options.nodeVersion}:latest`;
    return standardPipelines(
      context,
      nodeBuildStages(image, options.parallelize, []),
      nodeBuildStages(image, options.parallelize, [publishImage(context)]),
      true,
    );
  },
});

/** @public */
export const nextjsTemplate: BuildTemplate<
  BuildTemplateOptions<NodeServiceOptions>
> = defineTemplate({
  type: 'nextjs',
  description:
    'Next.js server-rendered site: install, lint, test and `next build` on review; the same plus an image publish and a deploy on master.',
  options: nodeServiceTemplate.options,
  // A Next.js site builds and ships like a Node service (`npm run build`
  // is `next build`); it keeps its own type so it can diverge.
  expand: nodeServiceTemplate.expand,
});

/** @public */
export const staticWebAppTemplate: BuildTemplate<
  BuildTemplateOptions<StaticWebAppOptions>
> = defineTemplate({
  type: 'staticWebApp',
  description:
    'Static single-page app (Vite/React): install, lint, test and build on review; on master the built folder is published to static hosting instead of deployed.',
  options: z.strictObject({
    nodeVersion,
    parallelize,
    outputDir: z
      .string()
      .regex(
        /^(?!\/)(?!.*\.\.)[\w./-]+$/,
        'must be a relative folder inside the repository',
      )
      .default('dist')
      .describe('folder the build writes'),
  }),
  expand(options, context) {
    const image = `action-containers/node${options.nodeVersion}:latest`;
    const publish: Stage = {
      stage: 'Publish',
      tasks: [
        {
          task: 'publish',
          steps: [
            step('action-containers/static-publish:latest', [
              '--dir',
              options.outputDir,
              '--site',
              context.component.name,
            ]),
          ],
        },
      ],
    };
    return standardPipelines(
      context,
      nodeBuildStages(image, options.parallelize, []),
      [...nodeBuildStages(image, options.parallelize, []), publish],
      false,
    );
  },
});

/** @public */
export const documentationTemplate: BuildTemplate<
  BuildTemplateOptions<DocumentationOptions>
> = defineTemplate({
  type: 'documentation',
  description:
    'TechDocs (MkDocs) site: generated on review to catch broken docs; generated and published to the TechDocs storage on master.',
  options: z.strictObject({
    docsDir: z
      .string()
      .regex(
        /^(?!\/)(?!.*\.\.)[\w./-]+$/,
        'must be a relative folder inside the repository',
      )
      .default('.')
      .describe('folder holding mkdocs.yml'),
  }),
  expand(options, context) {
    const image = 'action-containers/techdocs:latest';
    const generate = step(image, [
      'generate',
      '--no-docker',
      '--source-dir',
      options.docsDir,
      '--output-dir',
      'site',
    ]);
    const { namespace, name } = context.component;
    return standardPipelines(
      context,
      [{ stage: 'Build', tasks: [{ task: 'techdocs', steps: [generate] }] }],
      [
        {
          stage: 'Build',
          tasks: [
            {
              task: 'techdocs',
              steps: [
                generate,
                step(image, [
                  'publish',
                  '--entity',
                  `${namespace}/component/${name}`,
                  '--directory',
                  'site',
                ]),
              ],
            },
          ],
        },
      ],
      false,
    );
  },
});

/**
 * Every build template, by type.
 *
 * @public
 */
export const BUILD_TEMPLATES = Object.freeze({
  javaBackend: javaBackendTemplate,
  nodeService: nodeServiceTemplate,
  nextjs: nextjsTemplate,
  staticWebApp: staticWebAppTemplate,
  documentation: documentationTemplate,
} as const);

/** @public */
export type BuildTemplateType = keyof typeof BUILD_TEMPLATES;

/** @public */
export const BUILD_TEMPLATE_TYPES = Object.keys(
  BUILD_TEMPLATES,
) as BuildTemplateType[];
