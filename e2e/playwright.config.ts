import { defineConfig } from '@playwright/test';

/**
 * Browser mode in Debian's Chromium (never a downloaded browser). The global setup starts a real agent in a
 * temporary BERTH_HOME (and boots the real VM when BERTH_E2E_VM=1) and hands its URL to the tests.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  // Overridable so parallel runs on one machine do not clear each other's artifacts.
  outputDir: process.env.BERTH_E2E_OUTPUT ?? '../test-results',
  globalSetup: './support/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list'], ['json', { outputFile: '../reports/playwright.json' }]],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.BERTH_CHROMIUM ?? '/usr/bin/chromium',
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
