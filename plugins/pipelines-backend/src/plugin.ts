import { randomUUID } from 'node:crypto';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  GITHUB_PULL_REQUEST_EVENT_TOPIC,
  GITHUB_PUSH_EVENT_TOPIC,
} from '@gitops/descriptors-node';
import {
  pipelinesPermissions,
  RunSignal,
  runSignalChannel,
  RunSummary,
  StepStatus,
} from '@gitops/plugin-pipelines-common';
import {
  PipelineExecutor,
  pipelinesExecutorsExtensionPoint,
  pipelinesStepActionsExtensionPoint,
  StepAction,
} from '@gitops/plugin-pipelines-node';
import { migrateStore } from './database/migrations';
import { RunStore } from './database/RunStore';
import { readPipelinesConfig } from './config';
import { LiveLogs } from './runtime/LiveLogs';
import { RunWorker } from './runtime/RunWorker';
import { Triggers } from './runtime/Triggers';
import { Pump } from './runtime/Pump';
import { createRouter } from './service/createRouter';
import { GithubCheckRuns } from './checks';
import { LocalExecutor } from './local';

/**
 * The pipelines backend: every push runs its build. Push and pull-request
 * events are recorded under their delivery id and turned into runs; runs
 * are claimed from the database by any replica and executed by the
 * configured executor (`pipelines.executor`: `local` by default, others
 * added by modules); their status goes to the browser as signals.
 *
 * @public
 */
export const pipelinesPlugin = createBackendPlugin({
  pluginId: 'pipelines',
  register(env) {
    const executors = new Map<string, PipelineExecutor>();
    const stepActions = new Map<string, StepAction>();
    env.registerExtensionPoint(pipelinesExecutorsExtensionPoint, {
      addExecutor(executor) {
        if (executors.has(executor.id)) {
          throw new Error(
            `pipelines: an executor "${executor.id}" was added twice`,
          );
        }
        executors.set(executor.id, executor);
      },
    });
    env.registerExtensionPoint(pipelinesStepActionsExtensionPoint, {
      addStepAction(...actions) {
        for (const action of actions) {
          if (stepActions.has(action.image)) {
            throw new Error(
              `pipelines: a step action for "${action.image}" was added twice`,
            );
          }
          stepActions.set(action.image, action);
        }
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        reader: coreServices.urlReader,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        signals: signalsServiceRef,
      },
      async init(deps) {
        const { config, logger, lifecycle, events, signals } = deps;
        const settings = readPipelinesConfig(config);
        const knex = await migrateStore(deps.database);
        const store = new RunStore(knex);
        const instanceId = randomUUID();

        if (settings.executor === 'local' && !executors.has('local')) {
          executors.set(
            'local',
            LocalExecutor.fromConfig(config, { logger, stepActions }),
          );
        }
        const executor = executors.get(settings.executor);
        if (!executor) {
          throw new Error(
            `pipelines.executor is "${
              settings.executor
            }", but no such executor is installed (installed: ${[
              ...executors.keys(),
            ].join(', ')}); add its backend module`,
          );
        }

        const publish = (message: RunSignal, entityRef: string) => {
          signals
            .publish({
              recipients: { type: 'broadcast' },
              channel: runSignalChannel(entityRef),
              message: { ...message },
            })
            .catch(e =>
              logger.warn(`pipelines: signal not sent: ${stringifyError(e)}`),
            );
        };

        // Runs on GitHub repositories report to their commit as check runs;
        // the local hosting's are shown in the CI/CD tab.
        const checks = GithubCheckRuns.fromConfig(config, {
          logger,
          runs: store,
        });
        const notify = (
          run: RunSummary,
          step?: { id: string; status: StepStatus },
        ) => {
          publish(
            {
              runId: run.id,
              status: run.status,
              ...(step ? { stepId: step.id, stepStatus: step.status } : {}),
            },
            run.entityRef,
          );
          checks.onChange(run);
        };

        const live = new LiveLogs();
        const worker = new RunWorker({
          store,
          live,
          executor,
          logger,
          instanceId,
          maxConcurrentRuns: settings.maxConcurrentRuns,
          logLimits: settings.logs,
          timings: settings.worker,
          onChange: notify,
        });
        const triggers = new Triggers({
          store,
          catalog: deps.catalog,
          reader: deps.reader,
          auth: deps.auth,
          logger,
          instanceId,
          executorId: executor.id,
          onRunsCreated: runs => {
            for (const run of runs) notify(run);
            worker.wake();
          },
        });
        const deliveries = new Pump({
          name: 'deliveries',
          logger,
          intervalMs: settings.worker.pollMs,
          work: () => triggers.processPending(),
        });

        deps.permissionsRegistry.addPermissions(pipelinesPermissions);
        deps.httpRouter.use(
          await createRouter({
            store,
            triggers,
            cancelLocal: runId => worker.cancelLocal(runId),
            onChange: notify,
            httpAuth: deps.httpAuth,
            auth: deps.auth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            catalog: deps.catalog,
            reader: deps.reader,
            logger,
            live,
          }),
        );

        await events.subscribe({
          id: 'pipelines',
          topics: [GITHUB_PUSH_EVENT_TOPIC, GITHUB_PULL_REQUEST_EVENT_TOPIC],
          async onEvent(event) {
            // The acknowledgement: recorded, nothing more on this path.
            if (await triggers.record(event)) deliveries.wake();
          },
        });

        await deps.scheduler.scheduleTask({
          id: 'pipelines-retention',
          frequency: { hours: 1 },
          timeout: { minutes: 10 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            const now = Date.now();
            const day = 24 * 60 * 60 * 1000;
            const { logsDeleted, runsDeleted } = await store.applyRetention({
              logsBefore: now - settings.retention.logsDays * day,
              runsBefore: now - settings.retention.runsDays * day,
            });
            if (logsDeleted || runsDeleted) {
              logger.info(
                `pipelines retention: ${runsDeleted} runs and ${logsDeleted} log chunks deleted`,
              );
            }
          },
        });

        lifecycle.addStartupHook(() => {
          worker.start();
          deliveries.start();
        });
        lifecycle.addShutdownHook(async () => {
          deliveries.stop();
          await worker.stop();
        });
        logger.info(
          `Running pipelines with the ${executor.id} executor, at most ${settings.maxConcurrentRuns} at a time on this instance`,
        );
      },
    });
  },
});
