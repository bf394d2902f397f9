import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { test, expect, Page } from '@playwright/test';
import { createService } from './createService';
import { shots, signInAsGuest } from './session';

/**
 * Builds that run on every push (issue 11): a Node Service created from its
 * template, pushed to with the plain git client, built by the local
 * executor (npm ci from the registry, lint, test, build, image, deploy) and
 * followed live on its CI/CD tab; then a push that breaks a test; then a
 * component the guest does not own (fixtures/platform-service).
 */

// Names are unique per run, so a reused local app does not refuse them as taken.
const run = Date.now().toString(36).slice(-5);
const name = `e2e-ci-${run}`;
const backend = 'http://localhost:7007';
const author = 'Ada Lovelace';

/** The plain git client, with an argument vector and never a prompt. */
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  }).trim();
}

/** Commits every change as the test's author and pushes it; returns the sha. */
function commitAndPush(repo: string, message: string): string {
  git(
    repo,
    '-c',
    `user.name=${author}`,
    '-c',
    'user.email=ada@example.com',
    'commit',
    '--all',
    '--message',
    message,
  );
  git(repo, 'push', 'origin', 'HEAD');
  return git(repo, 'rev-parse', 'HEAD');
}

/** The card at the top of a run's page: pipeline, ref, status, commit. */
const runHeader = (page: Page) =>
  page
    .locator('.MuiCard-root')
    .filter({ has: page.getByRole('link', { name: 'All runs' }) });

/** The steps of the Node Service template's build, by their labels. */
const CI = /^node22:latest ci\b/;
const LINT = /^node22:latest run lint\b/;
const TEST = /^node22:latest test\b/;
const BUILD = /^node22:latest run build\b/;
const IMAGE = /^image-publish:latest\b/;

/** A step of the run's step tree, by its label. */
const stepButton = (page: Page, command: RegExp) =>
  page.getByRole('navigation', { name: 'Steps' }).getByRole('button', {
    name: command,
  });

/** Opens the service's CI/CD tab from its entity page. */
async function openCiCdTab(page: Page) {
  await page.goto(`/catalog/default/component/${name}`);
  // The tab is in the entity page's Development group.
  await page.getByRole('button', { name: 'Development' }).click();
  await page.getByRole('menuitemradio', { name: 'CI/CD' }).click();
  await expect(page).toHaveURL(new RegExp(`/component/${name}/ci-cd$`));
}

/** The runs table's row of a commit's run. */
const runRow = (page: Page, sha: string) =>
  page
    .getByRole('table', { name: 'Runs' })
    .getByRole('row')
    .filter({ hasText: sha.slice(0, 7) });

/**
 * Waits for the master build of a pushed commit to appear in the open
 * runs table and opens it.
 */
async function openMasterBuild(page: Page, sha: string, message: string) {
  const row = runRow(page, sha);
  // The push is acknowledged first and turned into a run by a worker; the
  // open table learns of it by a signal, without a reload.
  await expect(row).toBeVisible({ timeout: 60_000 });
  await row.getByRole('link', { name: 'Master build' }).click();
  await expect(page).toHaveURL(
    new RegExp(`/component/${name}/ci-cd/runs/[^/]+$`),
  );
  const header = runHeader(page);
  await expect(header).toContainText('Master build · master');
  await expect(header).toContainText(`${sha.slice(0, 7)} ${message}`);
  await expect(header).toContainText(`— ${author}`);
  await expect(header).toContainText('push by anonymous');
  return header;
}

test.describe.serial('pipelines of a Node Service', () => {
  let repo = '';

  test('a push runs the master build: its log follows live, then it passes with its test results', async ({
    page,
  }, testInfo) => {
    // Creating the service, then npm ci, lint, test, build, image and deploy.
    test.setTimeout(420_000);
    await signInAsGuest(page);
    await createService(page, {
      template: 'Node Service',
      name,
      shot: '30-ci-0',
    });

    await openCiCdTab(page);
    repo = testInfo.outputPath('repo');
    mkdirSync(path.dirname(repo), { recursive: true });
    git(
      path.dirname(repo),
      'clone',
      `${backend}/api/githost/team-a/${name}.git`,
      repo,
    );

    appendFileSync(
      path.join(repo, 'README.md'),
      '\nBuilt and tested on every push.\n',
    );
    const message = `Say in the README when it is built (${run})`;
    const sha = commitAndPush(repo, message);
    const row = runRow(page, sha);
    await expect(row).toBeVisible({ timeout: 60_000 });
    await expect(row).toContainText('Master build');
    await expect(row).toContainText('master');
    await expect(row).toContainText(message);
    await expect(row).toContainText(author);
    await expect(row).toContainText('push');
    await page.screenshot({ path: `${shots}/30-ci-1-runs.png` });

    // Running: the page follows the running step's log.
    const header = await openMasterBuild(page, sha, message);
    await expect(header).toContainText('running', { timeout: 60_000 });
    await expect(
      page.getByRole('heading', { name: /^Log: .* \(following\)$/ }),
    ).toBeVisible();
    await expect(stepButton(page, CI)).toBeVisible();
    await page.screenshot({ path: `${shots}/30-ci-2-running.png` });

    // npm's own output arrives in the open log as the step goes on.
    await stepButton(page, CI).click();
    const ciLog = page.getByRole('region', {
      name: /^Log of node22:latest ci$/,
    });
    await expect(ciLog).toContainText(/\$ \S*npm\S* ci/);
    await expect(ciLog).toContainText(/added \d+ packages/, {
      timeout: 180_000,
    });
    await page.screenshot({ path: `${shots}/30-ci-3-npm-log.png` });

    // Passed, every step, with the test report of the test step.
    await expect(header).toContainText('succeeded', { timeout: 300_000 });
    const steps = page.getByRole('navigation', { name: 'Steps' });
    await expect(steps).not.toContainText('failed');
    for (const command of [CI, LINT, TEST, BUILD, IMAGE]) {
      await expect(stepButton(page, command)).toContainText('succeeded');
    }
    // The deploy step records the request: no deployer is installed yet.
    await expect(steps).toContainText(/no deployer is installed/i);
    const counts = page.getByLabel('Test counts');
    await expect(counts).toHaveText(/^[1-9]\d* passed, 0 failed, 0 skipped$/);
    await expect(page.getByRole('list', { name: 'Failing tests' })).toHaveCount(
      0,
    );
    await page.screenshot({
      path: `${shots}/30-ci-4-passed.png`,
      fullPage: true,
    });

    // Back on the table, the run shows as passed.
    await page.getByRole('link', { name: 'All runs' }).click();
    await expect(
      page
        .getByRole('table', { name: 'Runs' })
        .getByRole('row')
        .filter({ hasText: sha.slice(0, 7) }),
    ).toContainText('succeeded');
  });

  test('a push that breaks a test fails at the test step, names the test and offers a re-run of the failed step', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    await signInAsGuest(page);

    const server = path.join(repo, 'src', 'server.ts');
    const source = readFileSync(server, 'utf8');
    // `greets by name` expects "Hello, Ada!".
    expect(source).toContain('`Hello, ');
    writeFileSync(server, source.replace('`Hello, ', '`Hi, '));
    await openCiCdTab(page);
    const message = `Greet more briefly (${run})`;
    const sha = commitAndPush(repo, message);

    const header = await openMasterBuild(page, sha, message);
    await expect(header).toContainText('failed', { timeout: 240_000 });

    // It failed at the test step: the steps before it passed, the later
    // ones never ran, and the page opens on the failed step's log.
    await expect(stepButton(page, CI)).toContainText('succeeded');
    await expect(stepButton(page, LINT)).toContainText('succeeded');
    const testStep = stepButton(page, TEST);
    await expect(testStep).toContainText('failed');
    await expect(testStep).toContainText('exit code 1');
    await expect(testStep).toHaveAttribute('aria-current', 'step');
    await expect(
      page.getByRole('region', { name: /^Log of node22:latest test$/ }),
    ).toContainText('greets by name');
    await expect(stepButton(page, BUILD)).toContainText('skipped');
    await expect(
      page.getByRole('button', { name: 'Jump to the failed step' }),
    ).toBeVisible();

    // The failing test is named, with its assertion.
    const failing = page.getByRole('list', { name: 'Failing tests' });
    await expect(failing).toContainText('greets by name');
    await expect(failing).toContainText('Hello, Ada!');
    await expect(page.getByLabel('Test counts')).toHaveText(
      /^[1-9]\d* passed, 1 failed, 0 skipped$/,
    );

    // The owner may re-run it, all of it or from the failed step.
    await expect(
      page.getByRole('button', { name: 'Re-run failed' }),
    ).toBeEnabled();
    await expect(
      page.getByRole('button', { name: 'Re-run', exact: true }),
    ).toBeEnabled();
    await expect(page.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
    await page.screenshot({
      path: `${shots}/31-ci-failed.png`,
      fullPage: true,
    });
  });

  test('a non-owner sees no trigger buttons and the API refuses to start a run', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await signInAsGuest(page);

    // The owner's tab offers a manual run.
    await page.goto(`/catalog/default/component/${name}/ci-cd`);
    await expect(
      page.getByRole('button', { name: 'Run pipeline' }),
    ).toBeVisible();

    // platform-service belongs to the platform group, which the guest is
    // not in. The page asks the permission backend whether the guest may
    // trigger its runs; the buttons are decided by that answer.
    const token = page.waitForRequest(
      req =>
        req.url().startsWith(`${backend}/api/`) &&
        !!req.headers().authorization,
    );
    const decision = page.waitForResponse(
      res =>
        res.url() === `${backend}/api/permission/authorize` &&
        (res.request().postData() ?? '').includes('pipelines.run.trigger'),
    );
    await page.goto('/catalog/default/component/platform-service/ci-cd');
    // Registered from a file: the tab says why nothing builds it.
    await expect(
      page.getByText(/is not registered from a repository/).first(),
    ).toBeVisible();
    const { items: asked } = JSON.parse(
      (await decision).request().postData() ?? '{}',
    ) as {
      items: {
        id: string;
        permission: { name: string };
        resourceRef?: string;
      }[];
    };
    const { items: answers } = (await (await decision).json()) as {
      items: { id: string; result: string }[];
    };
    const trigger = asked.find(
      item =>
        item.permission.name === 'pipelines.run.trigger' &&
        item.resourceRef === 'component:default/platform-service',
    );
    expect(trigger).toBeDefined();
    expect(answers.find(a => a.id === trigger!.id)?.result).toBe('DENY');

    await expect(
      page.getByRole('table', { name: 'Runs' }).getByText('No runs yet.'),
    ).toBeVisible();
    for (const button of [
      'Run pipeline',
      'Re-run',
      'Re-run failed',
      'Cancel',
    ]) {
      await expect(
        page.getByRole('button', { name: button, exact: true }),
      ).toHaveCount(0);
    }
    await page.screenshot({
      path: `${shots}/32-ci-not-owner.png`,
      fullPage: true,
    });

    // The API says the same to the guest's own token.
    const authorization = (await token).headers().authorization;
    expect(authorization).toMatch(/^Bearer \S+$/);
    const startRun = (component: string) =>
      page.request.post(
        `${backend}/api/pipelines/entities/component/default/${component}/runs`,
        {
          headers: { authorization },
          data: { pipeline: 'Master build' },
        },
      );
    const refused = await startRun('platform-service');
    expect(refused.status()).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: {
        name: 'NotAllowedError',
        message:
          'pipelines.run.trigger is not allowed on component:default/platform-service',
      },
    });

    // On the guest's own service the same request starts a run; it is
    // cancelled at once, so it takes no build slot.
    const started = await startRun(name);
    expect(started.status()).toBe(201);
    const { id } = (await started.json()) as { id: string };
    const cancelled = await page.request.post(
      `${backend}/api/pipelines/runs/${encodeURIComponent(id)}/cancel`,
      { headers: { authorization } },
    );
    expect(cancelled.ok()).toBe(true);
    await expect
      .poll(
        async () =>
          (
            (await (
              await page.request.get(
                `${backend}/api/pipelines/runs/${encodeURIComponent(id)}`,
                { headers: { authorization } },
              )
            ).json()) as { status: string }
          ).status,
        { timeout: 60_000 },
      )
      .toBe('cancelled');
  });
});
