import { mockServices } from '@backstage/backend-test-utils';
import { Workflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Workflow';
import { ArgoWorkflowsExecutor } from './ArgoWorkflowsExecutor';
import { FakeKubernetes, recorded } from './__testUtils__/fakeKubernetes';
import { RecordingReporter, recordedRequest } from './__testUtils__/runs';

const TOKEN = 'sa-token-0b6c1f9e-never-in-a-message';
const WORKFLOW = 'example-app-master-build-run-0001';
const STEPS = ['s0-t0-0', 's0-t0-1', 's1-t0-0'];
const PODS = {
  's0-t0-0': `${WORKFLOW}-build-maven-1-4204076371`,
  's0-t0-1': `${WORKFLOW}-build-maven-2-4220853990`,
  's1-t0-0': `${WORKFLOW}-deployment-production-1-2783994862`,
};

describe('ArgoWorkflowsExecutor against the recorded Kubernetes API', () => {
  let fake: FakeKubernetes;
  let logger: ReturnType<typeof mockServices.logger.mock>;

  beforeAll(async () => {
    fake = await FakeKubernetes.start({ token: TOKEN });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    logger = mockServices.logger.mock();
  });

  function executor(cluster: Record<string, unknown> = {}) {
    return new ArgoWorkflowsExecutor({
      cluster: {
        url: fake.url,
        serviceAccountToken: TOKEN,
        caData: fake.caData,
        ...cluster,
      },
      pollIntervalMs: 1,
      logger,
    });
  }

  /** Nothing the run reported or logged contains the token. */
  function expectNoToken(reporter: RecordingReporter, ...texts: unknown[]) {
    const logged = JSON.stringify(
      Object.values(logger).map((fn: any) => fn.mock?.calls ?? []),
    );
    expect(reporter.everything()).not.toContain(TOKEN);
    expect(logged).not.toContain(TOKEN);
    for (const text of texts) expect(JSON.stringify(text)).not.toContain(TOKEN);
  }

  it('reports every step of a succeeded Workflow, in order, with its pod log', async () => {
    const logs = recorded('succeeded.logs.json');
    fake.play({ states: recorded('succeeded.workflow.json'), logs });
    const reporter = new RecordingReporter();

    const result = await executor().execute(recordedRequest(), reporter);

    expect(result).toEqual({ status: 'succeeded' });
    expect(reporter.events).toEqual([
      'started s0-t0-0',
      'succeeded s0-t0-0',
      'started s0-t0-1',
      'succeeded s0-t0-1',
      'started s1-t0-0',
      'succeeded s1-t0-0',
    ]);
    for (const step of STEPS) {
      expect(reporter.outcomes[step]).toEqual({
        status: 'succeeded',
        exitCode: 0,
      });
      expect(reporter.logs[step]).toBe(logs[PODS[step as keyof typeof PODS]]);
    }
    expect(reporter.logs['s0-t0-0']).toContain('BUILD SUCCESS');
    // The logs were read from the step container of each step's pod.
    const logReads = fake.requests.filter(r => r.path.endsWith('/log'));
    expect(logReads.map(r => r.path)).toEqual(
      STEPS.map(
        s =>
          `/api/v1/namespaces/example-app/pods/${
            PODS[s as keyof typeof PODS]
          }/log`,
      ),
    );
    expect(logReads.every(r => r.query.get('container') === 'main')).toBe(true);
  });

  it('reports the failing step with its exit code and message, and skips the steps after it', async () => {
    const logs = recorded('failed.logs.json');
    fake.play({ states: recorded('failed.workflow.json'), logs });
    const reporter = new RecordingReporter();

    const result = await executor().execute(recordedRequest(), reporter);

    expect(result.status).toBe('failed');
    expect(result.message).toBe(
      `The Workflow ${WORKFLOW} in Argo Workflows at ${fake.url} (namespace example-app) ended Failed: Error (exit code 2)`,
    );
    expect(reporter.events).toEqual([
      'started s0-t0-0',
      'succeeded s0-t0-0',
      'started s0-t0-1',
      'failed s0-t0-1',
      'skipped s1-t0-0',
    ]);
    expect(reporter.outcomes['s0-t0-1']).toEqual({
      status: 'failed',
      exitCode: 2,
      message: 'Argo Workflows: Error (exit code 2)',
    });
    expect(reporter.logs['s0-t0-1']).toContain('registry refused the push');
    expect(reporter.outcomes['s1-t0-0']).toEqual({
      status: 'skipped',
      message: `not run: ${result.message}`,
    });
    expect(reporter.logs['s1-t0-0']).toBeUndefined();
  });

  it('stops the Workflow with spec.shutdown: Stop when the run is cancelled', async () => {
    fake.play({
      states: recorded('running.workflow.json'),
      stopped: recorded('stopped.workflow.json'),
    });
    const abort = new AbortController();
    const reporter = new RecordingReporter(() => abort.abort());

    const result = await executor().execute(
      recordedRequest({ signal: abort.signal }),
      reporter,
    );

    expect(result).toEqual({
      status: 'cancelled',
      message: `Cancelled; the Workflow ${WORKFLOW} was stopped (spec.shutdown: Stop)`,
    });
    expect(fake.patches).toHaveLength(1);
    const [patch] = fake.patches;
    expect(patch.path).toBe(
      `/apis/argoproj.io/v1alpha1/namespaces/example-app/workflows/${WORKFLOW}`,
    );
    expect(patch.headers['content-type']).toBe('application/merge-patch+json');
    expect(patch.body).toEqual({ spec: { shutdown: 'Stop' } });
    expect(reporter.events).toEqual([
      'started s0-t0-0',
      'cancelled s0-t0-0',
      'skipped s0-t0-1',
      'skipped s1-t0-0',
    ]);
  });

  it('fails the run naming the cluster and namespace when the API refuses (403), without the token', async () => {
    fake.failWith({
      method: 'POST',
      path: /\/workflows$/,
      status: 403,
      reason: 'Forbidden',
      message:
        'workflows.argoproj.io is forbidden: User "system:serviceaccount:backstage:pipelines" cannot create resource "workflows" in API group "argoproj.io" in the namespace "example-app"',
    });
    const reporter = new RecordingReporter();

    const result = await executor().execute(recordedRequest(), reporter);

    expect(result.status).toBe('failed');
    expect(result.message).toBe(
      `Argo Workflows at ${fake.url} (namespace example-app) refused to create the Workflow ${WORKFLOW}: HTTP 403 Forbidden: workflows.argoproj.io is forbidden: User "system:serviceaccount:backstage:pipelines" cannot create resource "workflows" in API group "argoproj.io" in the namespace "example-app"`,
    );
    expect(reporter.events).toEqual(STEPS.map(s => `skipped ${s}`));
    expect(logger.error).toHaveBeenCalledWith(result.message);
    expectNoToken(reporter, result);
  });

  it('fails the run when reading the Workflow answers 500, and fails the step that was running', async () => {
    fake.play({ states: recorded('succeeded.workflow.json') });
    fake.failWith({
      method: 'GET',
      path: /\/workflows\//,
      status: 500,
      reason: 'InternalError',
      message: 'etcdserver: request timed out',
      after: 3, // the third recorded state has the first step running
    });
    const reporter = new RecordingReporter();

    const result = await executor().execute(recordedRequest(), reporter);

    expect(result).toEqual({
      status: 'failed',
      message: `Argo Workflows at ${fake.url} (namespace example-app): could not read the status of the Workflow ${WORKFLOW}: HTTP 500 InternalError: etcdserver: request timed out`,
    });
    expect(reporter.events).toEqual([
      'started s0-t0-0',
      'failed s0-t0-0',
      'skipped s0-t0-1',
      'skipped s1-t0-0',
    ]);
    expect(reporter.outcomes['s0-t0-0']).toEqual({
      status: 'failed',
      message: result.message,
    });
    expectNoToken(reporter, result);
  });

  it('sends the token as a bearer token, and says so without the token when the server rejects it', async () => {
    fake.play({
      states: recorded('succeeded.workflow.json'),
      logs: recorded('succeeded.logs.json'),
    });
    await executor().execute(recordedRequest(), new RecordingReporter());
    expect(fake.requests.length).toBeGreaterThan(3);
    for (const request of fake.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    }

    fake.reset();
    const wrong = 'a-revoked-token-7d1e';
    const reporter = new RecordingReporter();
    const result = await executor({ serviceAccountToken: wrong }).execute(
      recordedRequest(),
      reporter,
    );
    expect(result.message).toBe(
      `Argo Workflows at ${fake.url} (namespace example-app) refused to create the Workflow ${WORKFLOW}: HTTP 401 Unauthorized (the service-account token was not accepted: check pipelines.argo.serviceAccountToken)`,
    );
    expect(JSON.stringify([result, reporter.everything()])).not.toContain(
      wrong,
    );
  });

  it('submits a Workflow that passes the Argo Workflows schema, named and labelled for the run', async () => {
    fake.play({
      states: recorded('succeeded.workflow.json'),
      logs: recorded('succeeded.logs.json'),
    });
    await executor().execute(recordedRequest(), new RecordingReporter());

    const [submitted] = fake.createdWorkflows;
    expect(fake.requests[0].path).toBe(
      '/apis/argoproj.io/v1alpha1/namespaces/example-app/workflows',
    );
    expect(() => new Workflow(submitted).validate()).not.toThrow();
    expect(submitted.metadata).toEqual({
      name: WORKFLOW,
      namespace: 'example-app',
      labels: {
        'backstage.io/kubernetes-id': 'example-app',
        'gitops.io/pipeline': 'master-build',
        'gitops.io/run-id': 'run-0001',
        'gitops.io/entity': 'component.default.example-app',
      },
      annotations: {
        'gitops.io/pipeline-name': 'Master build',
        'gitops.io/ref': 'master',
        'gitops.io/run-id': 'run-0001',
        'gitops.io/entity-ref': 'component:default/example-app',
      },
    });
    expect(submitted.spec.arguments.parameters).toEqual([
      { name: 'commit-sha', value: '0123456789abcdef0123456789abcdef01234567' },
      { name: 'branch', value: 'master' },
      { name: 'build-id', value: 'run-0001' },
    ]);
  });

  it('uses the configured namespace and service account', async () => {
    const states = recorded('succeeded.workflow.json').map((s: any) => ({
      ...s,
      metadata: { ...s.metadata, namespace: 'ci' },
    }));
    fake.play({ states });
    const result = await new ArgoWorkflowsExecutor({
      cluster: {
        url: fake.url,
        serviceAccountToken: TOKEN,
        caData: fake.caData,
      },
      namespace: 'ci',
      serviceAccountName: 'pipeline-runner',
      pollIntervalMs: 1,
      logger,
    }).execute(recordedRequest(), new RecordingReporter());

    expect(result.status).toBe('succeeded');
    const [submitted] = fake.createdWorkflows;
    expect(submitted.metadata.namespace).toBe('ci');
    expect(submitted.spec.serviceAccountName).toBe('pipeline-runner');
  });

  it('refuses an object that fails the schema before any API call', async () => {
    const request = recordedRequest();
    // A step whose arguments are not strings (a corrupted stored pipeline).
    (request.pipeline.stages[0].tasks[0].steps[0] as any).args = [42];
    const reporter = new RecordingReporter();

    const result = await executor().execute(request, reporter);

    expect(result.status).toBe('failed');
    expect(result.message).toMatch(
      new RegExp(
        `^The Workflow ${WORKFLOW} for the pipeline "Master build" does not pass the Argo Workflows schema, so it was not submitted to Argo Workflows at .* \\(namespace example-app\\): .*args`,
      ),
    );
    expect(fake.requests).toEqual([]);
    expect(reporter.events).toEqual(STEPS.map(s => `skipped ${s}`));
  });

  it('refuses a commit that is not a SHA before any API call', async () => {
    const request = recordedRequest();
    request.source = { ...request.source, sha: '{{workflow.uid}}' };
    const result = await executor().execute(request, new RecordingReporter());
    expect(result).toEqual({
      status: 'failed',
      message:
        'The pipeline "Master build" cannot run on Argo Workflows: the commit must be a hexadecimal git SHA, got "{{workflow.uid}}"',
    });
    expect(fake.requests).toEqual([]);
  });

  it('checks the server certificate against caData, or not at all with skipTLSVerify', async () => {
    const reporter = new RecordingReporter();
    const untrusted = await executor({ caData: undefined }).execute(
      recordedRequest(),
      reporter,
    );
    expect(untrusted.status).toBe('failed');
    expect(untrusted.message).toMatch(
      /refused to create the Workflow .*certificate/,
    );
    expect(fake.requests).toEqual([]); // the TLS handshake failed first

    fake.play({
      states: recorded('succeeded.workflow.json'),
      logs: recorded('succeeded.logs.json'),
    });
    const skipped = await executor({
      caData: undefined,
      skipTLSVerify: true,
    }).execute(recordedRequest(), new RecordingReporter());
    expect(skipped.status).toBe('succeeded');
  });
});
