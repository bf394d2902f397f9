import { defineConfig } from '@playwright/test';
import path from 'node:path';

/**
 * Browser end-to-end tests, run by `npm test` in Debian's Chromium
 * (/usr/bin/chromium, installed by scripts/system-deps.sh). Playwright's own
 * browser download is never used.
 *
 * The app is started with app-config.e2e.yaml on top of app-config.yaml, so
 * the tests get a fresh database under .data/e2e/. Locally, an app already
 * running on :3000/:7007 is reused.
 */
const root = __dirname;
const configArgs = ['app-config.yaml', 'app-config.e2e.yaml']
  .map(file => `--config ${path.join(root, file)}`)
  .join(' ');

export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'test-results/e2e-report' }],
    ['json', { outputFile: 'test-results/e2e.json' }],
  ],
  outputDir: 'test-results/e2e',
  webServer: [
    {
      command: `yarn backstage-cli repo start backend ${configArgs}`,
      url: 'http://localhost:7007/.backstage/health/v1/readiness',
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `yarn backstage-cli repo start app ${configArgs}`,
      url: 'http://localhost:3000',
      reuseExistingServer: !process.env.CI,
      timeout: 240_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
  use: {
    baseURL: 'http://localhost:3000',
    browserName: 'chromium',
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
