// axe-core in the page under test. The page's Content-Security-Policy refuses inline scripts, so
// `page.addScriptTag({ content })` is blocked; `page.evaluate` runs through the DevTools protocol,
// which the CSP does not govern, so the library is evaluated that way, once per document.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** What a test reports of one violation: enough to find and fix it. */
export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string; html: string; summary: string }[];
}

/**
 * Violations inside Cloudscape's own markup that the page cannot change, each matched narrowly
 * (one rule, one element) and with the reason; every other node of the rule is still reported.
 */
const CLOUDSCAPE_ISSUES: { rule: string; html: RegExp; why: string }[] = [
  {
    // AppLayout's mobile toolbar (below 688 px) renders <nav aria-orientation="horizontal">:
    // aria-orientation is not allowed on the navigation role (it belongs to toolbar, tablist...).
    // Assistive technology ignores it; the nav keeps its name and role. Cloudscape's markup.
    rule: 'aria-allowed-attr',
    html: /^<nav [^>]*aria-label="Side navigation"[^>]*aria-orientation="horizontal"|^<nav [^>]*aria-orientation="horizontal"[^>]*aria-label="Side navigation"/,
    why: 'Cloudscape AppLayout mobile toolbar',
  },
];

/** The serious and critical violations of the page as it is now (WCAG 2.x A and AA rules). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Colours measured while a dialog fades in are not the colours shown: let animations end first.
  // (waitForFunction evaluates its string with eval in the page, which the CSP refuses.)
  for (let tries = 0; tries < 50; tries += 1) {
    const running = await page.evaluate<number>(
      'document.getAnimations().filter((a) => a.playState === "running").length',
    );
    if (running === 0) break;
    await page.waitForTimeout(100);
  }
  const loaded = await page.evaluate<boolean>('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const options = {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    resultTypes: ['violations'],
  };
  const violations = await page.evaluate<AxeViolation[]>(
    `(async () => {
      const result = await window.axe.run(document, ${JSON.stringify(options)});
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? 'unknown',
        help: v.help,
        nodes: v.nodes.map((n) => ({
          target: n.target.join(' '),
          html: n.html.slice(0, 300),
          summary: (n.failureSummary ?? '').slice(0, 400),
        })),
      }));
    })()`,
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      ...v,
      nodes: v.nodes.filter(
        (n) => !CLOUDSCAPE_ISSUES.some((known) => known.rule === v.id && known.html.test(n.html)),
      ),
    }))
    .filter((v) => v.nodes.length > 0);
}
