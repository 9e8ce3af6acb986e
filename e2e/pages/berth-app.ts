import { expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

export const NAV_ENTRIES = ['Containers', 'Compose', 'Images', 'Volumes', 'Networks', 'Hub', 'Disk', 'Settings', 'Troubleshoot'] as const;
export type NavEntry = (typeof NAV_ENTRIES)[number];

const SCREENS = path.resolve(import.meta.dirname, '../../reports/screens');

/** The Berth UI in browser mode, by roles and accessible names only. */
export class BerthApp {
  constructor(readonly page: Page) {}

  static url(): string {
    const url = process.env.BERTH_URL;
    if (!url) throw new Error('BERTH_URL is not set: run through e2e/playwright.config.ts');
    return url;
  }

  async open(): Promise<void> {
    await this.page.goto(BerthApp.url());
    await expect(this.page.getByTestId('agent-status')).toHaveText('Agent connected');
  }

  nav() {
    return this.page.getByRole('navigation', { name: 'Main' });
  }

  async go(entry: NavEntry): Promise<void> {
    await this.nav().getByRole('link', { name: new RegExp(`^${entry}`) }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: entry })).toBeVisible();
  }

  async screenshot(name: string): Promise<void> {
    fs.mkdirSync(SCREENS, { recursive: true });
    await this.page.screenshot({ path: path.join(SCREENS, `${name}.png`) });
  }
}
