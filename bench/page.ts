// Page: the Action Center page measured in Chromium (issue #18) with 1,000 pending actions, against
// the runtime in a child process (on disk, as `npm start`): navigation start -> the first data row
// of the Pending table on screen, on a cold load (a new browser context: empty cache, the token
// stored as the sign-in form stores it) and a warm one (a reload of a tab signed in through the
// form); and an operator's approval (row checkbox, Approve, the dialog's Approve) -> that row gone
// from the list. Times are taken inside the page (performance.now(), MutationObserver), not
// around Playwright's calls. The scripts run in the page are strings: the root tsconfig has no DOM.
import { loadavg } from 'node:os';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, signIn } from '../test/e2e/web/support/browser.js';
import {
  putAllEvents,
  removeDataDir,
  startRuntimeProcess,
  tokenFor,
} from '../test/support/runtime-process.js';
import {
  benchAlert,
  envNumber,
  machine,
  percentile,
  putEvents,
  report,
  round,
  sleep,
} from './lib.js';

const runs = envNumber('BENCH_PAGE_RUNS', 7);
const pending = envNumber('BENCH_PAGE_ACTIONS', 1000);
const ENTITIES = 10;
const TARGETS = { firstRowMs: 1000, approvalMs: 300 };

const loadAverageAtStart = round(loadavg()[0] ?? 0, 2);
const runtime = await startRuntimeProcess({
  env: { TTL_SWEEP_SECONDS: '600', RECONCILE_SECONDS: '600', LOG_LEVEL: 'ERROR' },
});
const reader = await tokenFor('bench@example.com', ['SecurityReader']);
const operator = await tokenFor('ana@example.com', ['SecurityAdmin', 'SearchAndPurge']);

/** The Pending list's total, as the page's header shows it. */
async function pendingTotal(): Promise<number> {
  const response = await fetch(`${runtime.url}/api/actions?tab=pending&limit=1`, {
    headers: { Authorization: `Bearer ${reader}` },
  });
  return ((await response.json()) as { total?: number }).total ?? 0;
}

// Seeding (not timed): alerts of 10 malicious entities, one action each, enough that the list
// still holds `pending` after every approval below.
const seedStarted = performance.now();
const runId = Date.now().toString(36);
const alerts = Array.from({ length: Math.ceil((pending + runs) / ENTITIES) }, (_, i) =>
  benchAlert(`page-${runId}-${i}`, ENTITIES),
);
for (let i = 0; i < alerts.length; i += 10) {
  await putAllEvents(runtime.url, putEvents(alerts.slice(i, i + 10)).Entries);
}
const deadline = Date.now() + 600_000;
let seeded = await pendingTotal();
while (seeded < pending + runs && Date.now() < deadline) {
  await sleep(500);
  seeded = await pendingTotal();
}
if (seeded < pending + runs) throw new Error(`only ${seeded} actions became pending`);
const seedSeconds = round((performance.now() - seedStarted) / 1000, 1);
process.stderr.write(`page: ${seeded} pending actions in ${seedSeconds} s\n`);
// Let the workflows settle into their waits before timing anything.
await sleep(2000);

const TABLE = '[data-testid="actions-table"] tbody';
/** Resolves, in the page, to the time of the first frame with a data row of the table laid out. */
const FIRST_ROW_PROBE = `(() => {
  window.__benchFirstRow = new Promise((resolve) => {
    const seen = () => {
      const link = document.querySelector('${TABLE} a[aria-label^="Details of"]');
      return link !== null && link.getBoundingClientRect().height > 0;
    };
    const observer = new MutationObserver(() => {
      if (!seen()) return;
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now()));
    });
    observer.observe(document, { childList: true, subtree: true });
  });
})()`;

interface Load {
  firstRowMs: number;
  /** The list request, from the page's resource timing. */
  listRequestMs: number;
  domContentLoadedMs: number;
}

async function measureLoad(page: Page): Promise<Load> {
  const firstRowMs = (await page.evaluate('window.__benchFirstRow')) as number;
  const timing = (await page.evaluate(`(() => {
    const list = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/actions?'));
    const nav = performance.getEntriesByType('navigation')[0];
    return { listRequestMs: list ? list.duration : NaN, domContentLoadedMs: nav ? nav.domContentLoadedEventEnd : NaN };
  })()`)) as Omit<Load, 'firstRowMs'>;
  return { firstRowMs, ...timing };
}

/**
 * Approves the first row as an operator does (its checkbox, Approve, the dialog's Approve) and
 * answers the time, in the page, from the click on the dialog's Approve to the first frame
 * without the row in the table.
 */
async function approveFirstRow(page: Page): Promise<{ ms: number; target: string }> {
  const link = page.locator(`${TABLE} a[aria-label^="Details of"]`).first();
  const details = (await link.getAttribute('aria-label')) as string;
  const name = details.replace(/^Details of /, '');
  await page.getByRole('checkbox', { name: `Select ${name}` }).check();
  await page.getByRole('button', { name: 'Approve', exact: true }).first().click();
  const dialog = page.getByRole('dialog');
  const confirm = dialog.getByRole('button', { name: 'Approve', exact: true });
  await confirm.waitFor();
  await page.evaluate(`(() => {
    const row = ${JSON.stringify(`${TABLE} a[aria-label=${JSON.stringify(details)}]`)};
    window.__benchApproved = new Promise((resolve, reject) => {
      let clickedAt;
      document.addEventListener('click', (event) => {
        if (clickedAt !== undefined || !event.target.closest('[role="dialog"]')) return;
        clickedAt = performance.now();
        // A selector that matched nothing would time nothing.
        if (document.querySelector(row) === null) reject(new Error('the row was not in the table'));
      }, { capture: true });
      const observer = new MutationObserver(() => {
        if (clickedAt === undefined || document.querySelector(row) !== null) return;
        observer.disconnect();
        requestAnimationFrame(() => resolve(performance.now() - clickedAt));
      });
      observer.observe(document, { childList: true, subtree: true });
    });
  })()`);
  await confirm.click();
  const ms = (await page.evaluate('window.__benchApproved')) as number;
  await page.getByText(`Approved: ${name}`).waitFor();
  return { ms, target: name };
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const viewport = { width: 1440, height: 900 };
const cold: Load[] = [];
const warm: Load[] = [];
const approvals: number[] = [];
let rowsShown = 0;

// The warm tab: signed in through the form, then reloaded for each sample.
const warmContext = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'UTC' });
await warmContext.addInitScript(FIRST_ROW_PROBE);
const tab = await warmContext.newPage();
tab.setDefaultTimeout(30_000);
await signIn(tab, runtime.url, operator);
await tab.locator(`${TABLE} a[aria-label^="Details of"]`).first().waitFor();

for (let run = 0; run < runs; run += 1) {
  // Cold: a new context, nothing cached; the token stored as the sign-in form stores it.
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'UTC' });
  await context.addInitScript(
    `sessionStorage.setItem('actionCenter.token', ${JSON.stringify(operator)});`,
  );
  await context.addInitScript(FIRST_ROW_PROBE);
  const page = await context.newPage();
  await page.goto(runtime.url);
  cold.push(await measureLoad(page));
  rowsShown = await page.locator(`${TABLE} a[aria-label^="Details of"]`).count();
  await context.close();

  // Warm: the signed-in tab reloaded.
  await tab.reload();
  warm.push(await measureLoad(tab));

  // An approval in the warm tab, then time for its remediation to run before the next sample.
  const approval = await approveFirstRow(tab);
  approvals.push(approval.ms);
  process.stderr.write(
    `page: run ${run + 1}: cold ${round(cold.at(-1)?.firstRowMs ?? Number.NaN)} ms, warm ${round(warm.at(-1)?.firstRowMs ?? Number.NaN)} ms, approval of ${approval.target} ${round(approval.ms)} ms\n`,
  );
  await sleep(1500);
}
const chromiumVersion = browser.version();
await browser.close();
await runtime.stop();
removeDataDir(runtime.dataDir);

const stats = (values: number[]) => ({
  p50Ms: round(percentile(values, 50)),
  p90Ms: round(percentile(values, 90)),
  maxMs: round(Math.max(...values)),
});
const loadStats = (loads: Load[]) => ({
  firstRow: stats(loads.map((l) => l.firstRowMs)),
  listRequestP50Ms: round(
    percentile(
      loads.map((l) => l.listRequestMs),
      50,
    ),
  ),
  domContentLoadedP50Ms: round(
    percentile(
      loads.map((l) => l.domContentLoadedMs),
      50,
    ),
  ),
});
report({
  name: 'page',
  machine: machine(),
  chromium: chromiumVersion,
  loadAverageAtStart,
  runs,
  pendingActions: seeded,
  seedSeconds,
  rowsShown,
  cold: loadStats(cold),
  warm: loadStats(warm),
  approval: stats(approvals),
  targets: TARGETS,
});
process.exit(0);
