import { defineConfig } from '@playwright/test';
import { generateProjects } from '@backstage/e2e-test-utils/playwright';

// Browser tests run against the whole demo (cluster simulator, backend, frontend) in Debian's
// Chromium: Playwright cannot download browsers on our machines, and need not.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  timeout: 120_000,
  expect: { timeout: 30_000 },
  webServer: {
    // At four times the demo's speed the podinfo canary reaches its promotion gate in a few
    // minutes, which the approval test waits for.
    command: 'node scripts/start-demo.mjs --speed 4',
    url: 'http://localhost:3000',
    reuseExistingServer: !process.env.CI,
    timeout: 300_000,
    stdout: 'ignore',
    stderr: 'pipe',
    // The demo script stops the simulator, the GitOps double, backend and frontend on SIGTERM;
    // a SIGKILL would leave them running on their ports.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
  globalSetup: './e2e/waitForDemo.ts',
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  outputDir: 'test-results',
  projects: generateProjects().map(project => ({
    ...project,
    use: { ...project.use, channel: undefined },
  })),
});
