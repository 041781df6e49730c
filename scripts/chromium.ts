// Headless Chromium (Debian's `chromium`, installed by .ci/run) driven over the DevTools protocol with
// puppeteer-core, which downloads no browser: for the report's page test and its README screenshot.
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];

/** What the page did while it loaded: console errors (and uncaught exceptions), and every request it made. */
export interface PageLog {
  consoleErrors: string[];
  requests: string[];
}

/** Starts Chromium; an error saying how to install it when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  return puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/** Opens `url` in a new page of `width` CSS pixels and records what it logs and requests. */
export async function openPage(browser: Browser, url: string, width = 1100): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage();
  const log: PageLog = { consoleErrors: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') log.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => log.consoleErrors.push(String(error)));
  page.on('request', (request) => log.requests.push(request.url()));
  await page.setViewport({ width, height: 800 });
  await page.goto(url, { waitUntil: 'load' });
  return { page, log };
}
