import fs from 'node:fs';
import path from 'node:path';
import {
  bareRepoWith,
  executor,
  plan,
  processesWith,
  RecordingReporter,
  removeTmpDirs,
  request,
  sh,
  tmpDir,
  waitForProcess,
} from './__testUtils__/fixtures';

/**
 * The sandbox, proven from inside a step: each test runs a real step in
 * bubblewrap and looks at what it could do.
 */
/** The step printed `word` on a line of its own (not the command header). */
const said = (text: string, word: string) =>
  !text.startsWith('$ ') && new RegExp(`^${word}$`, 'm').test(text);

describe('LocalExecutor sandbox', () => {
  afterAll(removeTmpDirs);
  jest.setTimeout(120_000);
  const repo = bareRepoWith({ 'README.md': '# demo\n' });

  type RunOptions = Parameters<typeof executor>[0] & {
    reporter?: RecordingReporter;
    signal?: AbortSignal;
    runId?: string;
  };

  /** Runs stages → tasks → steps on the demo repository. */
  async function runPlan(
    stages: Parameters<typeof plan>[0],
    options: RunOptions = {},
  ) {
    const reporter = options.reporter ?? new RecordingReporter();
    const result = await executor(options).execute(
      request(repo, plan(stages), {
        signal: options.signal,
        runId: options.runId,
      }),
      reporter,
    );
    return { result, reporter };
  }

  async function runOne(script: string, options: RunOptions = {}) {
    const { result, reporter } = await runPlan([[[sh(script)]]], options);
    return {
      result,
      reporter,
      log: reporter.log_('s0t0i0'),
      outcome: reporter.outcomes.get('s0t0i0')!,
    };
  }

  it('cannot write outside its workspace', async () => {
    const backendDir = process.cwd();
    const { log, outcome } = await runOne(
      [
        'touch /usr/pwned 2>&1',
        'touch /etc/pwned 2>&1',
        'touch /pwned 2>&1',
        `touch ${backendDir}/pwned 2>&1`,
        'touch /workspace/ok && echo workspace-writable',
      ].join('; '),
    );
    expect(outcome.status).toBe('succeeded');
    expect(log).toContain(
      "touch: cannot touch '/usr/pwned': Read-only file system",
    );
    expect(log).toContain(
      "touch: cannot touch '/pwned': Read-only file system",
    );
    expect(log).toContain(`touch: cannot touch '${backendDir}/pwned'`);
    expect(log).toContain('workspace-writable');
    expect(fs.existsSync('/usr/pwned')).toBe(false);
    expect(fs.existsSync(path.join(backendDir, 'pwned'))).toBe(false);
  });

  it("cannot see the backend's folders, app-config or .data", async () => {
    // A backend folder laid out like the repository: .data/ beside app-config.
    const backend = tmpDir('pipelines-fake-backend');
    fs.mkdirSync(path.join(backend, '.data', 'git'), { recursive: true });
    fs.writeFileSync(
      path.join(backend, '.data', 'git', 'secret.txt'),
      'other-team-secret',
    );
    fs.writeFileSync(
      path.join(backend, 'app-config.local.yaml'),
      'token: app-config-secret',
    );
    const { log, outcome } = await runOne(
      [
        `cat ${backend}/.data/git/secret.txt 2>&1`,
        `cat ${backend}/app-config.local.yaml 2>&1`,
        `ls ${path.resolve(__dirname, '../../../..')} 2>&1`,
        'ls / 2>&1',
      ].join('; '),
    );
    expect(outcome.status).toBe('succeeded');
    expect(log).not.toContain('other-team-secret');
    expect(log).not.toContain('app-config-secret');
    expect(log).toContain(
      `${backend}/.data/git/secret.txt: No such file or directory`,
    );
    // The repository of the backend (its .data/, app-config.yaml) is not there.
    expect(log).toContain(
      `${path.resolve(__dirname, '../../../..')}': No such file or directory`,
    );
    expect(log).not.toMatch(/^(home|root|work|srv|opt|var)$/m);
  });

  it("does not see the backend's environment", async () => {
    process.env.PIPELINES_TEST_SECRET = 'backend-env-secret';
    try {
      const { log } = await runOne('env');
      expect(log).not.toContain('backend-env-secret');
      const names = log
        .split('\n')
        .filter(l => /^[A-Za-z_][A-Za-z0-9_]*=/.test(l))
        .map(l => l.slice(0, l.indexOf('=')))
        .filter(n => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(n))
        .sort();
      expect(names).toEqual([
        'BRANCH',
        'BUILD_ID',
        'CI',
        'COMMIT_SHA',
        'COMPONENT',
        'HOME',
        'JUNIT_REPORT',
        'PATH',
        'PIPELINE_OUTPUTS',
        'WORKSPACE',
      ]);
      expect(log).toContain(`COMMIT_SHA=${repo.sha}`);
      expect(log).toContain('HOME=/workspace/.pipelines/home');
    } finally {
      delete process.env.PIPELINES_TEST_SECRET;
    }
  });

  it('gives each step a private /tmp', async () => {
    const marker = `tmp-marker-${Date.now()}`;
    const workDir = tmpDir('pipelines-work');
    const first = await runOne(`echo one > /tmp/${marker} && ls /tmp`, {
      workDir,
    });
    expect(first.log).toContain(marker);
    // Steps of one task share the task's sandbox, never its /tmp or /dev/shm.
    const { reporter } = await runPlan(
      [
        [
          [
            sh(`ls -A /tmp; echo two > /tmp/two; echo shm > /dev/shm/three`),
            sh(`ls -A /tmp /dev/shm; cat /tmp/two /dev/shm/three 2>&1`),
          ],
        ],
      ],
      { workDir },
    );
    expect(reporter.log_('s0t0i0')).not.toContain(marker);
    expect(reporter.outcomes.get('s0t0i0')?.status).toBe('succeeded');
    const second = reporter.log_('s0t0i1');
    expect(second).not.toMatch(/^(two|three|shm)$/m);
    expect(second).toContain('/tmp/two: No such file or directory');
    expect(second).toContain('/dev/shm/three: No such file or directory');
    expect(fs.existsSync(`/tmp/${marker}`)).toBe(false);
  });

  it('truncates a step printing 100 MB, keeps it running, and keeps memory flat', async () => {
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let received = 0;
    const reporter = new RecordingReporter();
    reporter.onLog = (_id, text) => {
      received += Buffer.byteLength(text);
    };
    const { log, outcome } = await runOne(
      // 100 MB, then an exit status that proves the step went on after the cap.
      "head -c 104857600 /dev/zero | tr '\\0' x; echo; echo after-the-cap >&2; exit 7",
      { maxOutputBytes: 1024 * 1024, reporter },
    );
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    expect(outcome).toMatchObject({
      status: 'failed',
      exitCode: 7,
      message: 'sh exited with status 7. Output beyond 1 MB was dropped.',
    });
    // (booleans: a failure message must not print a megabyte)
    expect(
      log.endsWith(
        "\n[output truncated at 1 MB: the rest of this step's output was dropped]\n",
      ),
    ).toBe(true);
    expect(
      log
        .split('\n')
        .filter(l => l.includes('after-the-cap') && !l.startsWith('$ ')),
    ).toEqual([]);
    expect(received).toBeLessThan(1024 * 1024 + 1024);
    // Loose bound: the 100 MB passed through without being held.
    expect(rssGrowth).toBeLessThan(60 * 1024 * 1024);
  });

  it('times out a step that never ends and kills its whole process tree', async () => {
    let during: string[] = [];
    const reporter = new RecordingReporter();
    reporter.onLog = async (_id, text) => {
      if (said(text, 'started')) during = await waitForProcess('sleep 987651');
    };
    const { outcome } = await runOne(
      'sleep 987651 & echo started; sleep 987652',
      { stepTimeoutMs: 3000, reporter },
    );
    expect(during.some(p => p.endsWith('sleep 987651'))).toBe(true);
    expect(outcome).toMatchObject({
      status: 'failed',
      message:
        'Timed out after 3 s: the step and every process it started were killed.',
    });
    expect(processesWith('98765')).toEqual([]);
  });

  it('kills a daemon the step forked when the step ends', async () => {
    let during: string[] = [];
    const reporter = new RecordingReporter();
    reporter.onLog = async (_id, text) => {
      if (said(text, 'forked')) during = await waitForProcess('sleep 987653');
    };
    const { outcome } = await runOne(
      'setsid sleep 987653 > /dev/null 2>&1 & echo forked; sleep 1',
      { reporter },
    );
    expect(during.some(p => p.endsWith('sleep 987653'))).toBe(true);
    expect(outcome.status).toBe('succeeded');
    expect(processesWith('987653')).toEqual([]);
  });

  it("ends a step's daemons before the next step of the task starts", async () => {
    const { reporter } = await runPlan([
      [
        [
          sh('setsid sleep 987656 > /dev/null 2>&1 & echo forked'),
          sh("for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline; echo; done"),
        ],
      ],
    ]);
    expect(reporter.outcomes.get('s0t0i1')?.status).toBe('succeeded');
    const seen = reporter.log_('s0t0i1');
    // The listing ran (it sees itself), and the daemon was gone.
    expect(seen).toContain('/proc/[0-9]*');
    expect(seen).not.toContain('sleep 987656');
    expect(processesWith('987656')).toEqual([]);
  });

  it("cannot write into the launcher's channels to forge results or start processes", async () => {
    const forge = (fd: number) =>
      `(printf 'x\\0\\0\\0\\2{}' > /proc/$PPID/fd/${fd}) 2>/dev/null && echo forged-${fd} || echo refused-${fd}`;
    const { result, reporter } = await runPlan([
      [[sh(`${forge(0)}; ${forge(1)}; exit 3`), sh('echo after')]],
    ]);
    const log = reporter.log_('s0t0i0');
    expect(log).toMatch(/^refused-0$/m);
    expect(log).toMatch(/^refused-1$/m);
    expect(log).not.toMatch(/^forged/m);
    // Its own exit status counts, not a forged one.
    expect(reporter.outcomes.get('s0t0i0')).toMatchObject({
      status: 'failed',
      exitCode: 3,
    });
    expect(result.status).toBe('failed');
  });

  it('fails a step whose entrypoint does not exist, naming it', async () => {
    const { reporter } = await runPlan([
      [
        [
          {
            action: 'test/sh:latest',
            entrypoint: '/bin/no-such-shell',
            args: ['echo hi'],
          },
          sh('echo next'),
        ],
      ],
    ]);
    expect(reporter.outcomes.get('s0t0i0')).toMatchObject({
      status: 'failed',
      exitCode: 127,
      message: 'no-such-shell exited with status 127.',
    });
    expect(reporter.log_('s0t0i0')).toContain(
      'could not start "/bin/no-such-shell": spawn /bin/no-such-shell ENOENT',
    );
  });

  it('cancels: kills the running step, skips the rest', async () => {
    const controller = new AbortController();
    const reporter = new RecordingReporter();
    reporter.onLog = (_id, text) => {
      if (said(text, 'started')) controller.abort();
    };
    const { result } = await runPlan(
      [
        [[sh('sleep 987654 & echo started; sleep 987655'), sh('echo never')]],
        [[sh('echo never')]],
      ],
      { signal: controller.signal, reporter },
    );
    expect(result.status).toBe('cancelled');
    expect(reporter.outcomes.get('s0t0i0')?.status).toBe('cancelled');
    expect(reporter.outcomes.get('s0t0i1')).toEqual({
      status: 'skipped',
      message: 'Not run: the run was cancelled.',
    });
    expect(reporter.outcomes.get('s1t0i0')?.status).toBe('skipped');
    expect(reporter.log_('s0t0i1')).toBe('');
    expect(processesWith('98765')).toEqual([]);
  });

  it('passes an argument with shell metacharacters verbatim', async () => {
    const arg = `$(touch /workspace/pwned) \`id\` ; | && > out "q" 'single' * ~ \\n`;
    const { reporter } = await runPlan(
      [[[{ action: 'test/printf', args: [arg] }, sh('ls')]]],
      {
        actions: { 'test/printf': { command: ['printf', '[%s]'] } },
        keepWorkspaces: true,
      },
    );
    expect(reporter.log_('s0t0i0')).toBe(
      `$ /usr/bin/printf '[%s]' '${arg.replace(/'/g, `'\\''`)}'\n[${arg}]`,
    );
    expect(reporter.log_('s0t0i1')).not.toMatch(/pwned|out/);
  });
});
