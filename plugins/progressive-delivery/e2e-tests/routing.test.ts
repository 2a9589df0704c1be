import { expect, Locator, Page, test } from '@playwright/test';
import { shoot } from './screenshots';

// The demo's tenant-c (prod-eu-1) runs on the Kubernetes Gateway API: catalog-api's router is
// the HTTPRoute tenant-c/catalog-api. tenant-d (dev-eu-1) has the A/B canary `search` (header
// x-canary: insider, 10 iterations, a new run every 8 simulated minutes) and the blue/green
// canary `reports` (4 iterations, then all traffic on the canary for one interval). At the
// playwright config's `--speed 4` a simulated minute is 15 s.
const STEP_WAIT_MS = 6 * 60_000;
const AB_WAIT_MS = 5 * 60_000;
const BLUE_GREEN_WAIT_MS = 8 * 60_000;

async function openTab(page: Page, entity: string, testId: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/catalog/default/component/${entity}/delivery`);
  const panel = page.getByTestId(testId);
  await expect(panel).toBeVisible({ timeout: 60_000 });
  return panel;
}

async function stepLabel(panel: Locator): Promise<string> {
  return (
    (await panel.getByTestId('step-track').getAttribute('aria-label')) ?? ''
  );
}

test('catalog-api on the Gateway API: the split read from its HTTPRoute, steps moving', async ({
  page,
}) => {
  test.setTimeout(STEP_WAIT_MS + 120_000);
  const panel = await openTab(
    page,
    'catalog-api',
    'canary-prod-eu-1-tenant-c/catalog-api',
  );
  await expect(
    panel.getByRole('table', { name: 'HTTPRoute routes' }),
  ).toContainText('catalog-api-canary');
  await expect(
    panel.getByRole('heading', { name: 'HTTPRoute tenant-c/catalog-api' }),
  ).toBeVisible();
  await expect(
    panel.getByRole('list', { name: 'Delivery chain' }),
  ).toContainText('HTTPRoute catalog-api');
  await expect(panel.getByTestId('traffic-reading')).toContainText(
    'Read from HTTPRoute tenant-c/catalog-api.',
  );
  const bar = panel.getByTestId('traffic-split');
  await expect(bar).toHaveAttribute(
    'aria-label',
    /^Traffic split: primary \d+%, canary \d+%$/,
  );
  await shoot(page, 'delivery-catalog-api');

  // The steps move on their own while the rollout advances; at the promotion gate, opening
  // the gate moves them (promotion).
  const before = await stepLabel(panel);
  const cluster = page.getByRole('region', { name: 'Cluster prod-eu-1' });
  const approve = cluster.getByRole('button', { name: 'Approve promotion' });
  // Opened once: the button stays until Flagger's next check sees the open gate.
  let approved = false;
  await expect
    .poll(
      async () => {
        if (!approved && (await approve.isVisible())) {
          // Flagger zeroes status.canaryWeight at the gate; the HTTPRoute still routes.
          await expect(bar).not.toHaveAttribute('aria-label', /canary 0%/);
          await shoot(page, 'delivery-catalog-api-gate');
          await approve.click();
          const dialog = page.getByRole('dialog');
          await dialog
            .getByRole('button', { name: 'Approve promotion' })
            .click();
          await expect(dialog).toBeHidden();
          approved = true;
        }
        return stepLabel(panel);
      },
      { timeout: STEP_WAIT_MS, intervals: [2_000] },
    )
    .not.toBe(before);
  await shoot(page, 'delivery-catalog-api-after-step');
});

test('search (A/B) names the header condition and keeps all other traffic on the primary', async ({
  page,
}) => {
  test.setTimeout(AB_WAIT_MS + 120_000);
  const panel = await openTab(
    page,
    'search',
    'canary-dev-eu-1-tenant-d/search',
  );
  const headline = panel.getByTestId('canary-headline');
  await expect(headline).toContainText(
    'requests with header x-canary = insider go to the canary (all other traffic stays on the primary)',
    { timeout: AB_WAIT_MS },
  );
  await expect(headline).toContainText(/iteration \d+ of 10/);
  await expect(panel.getByTestId('traffic-reading')).toContainText(
    'A/B test: requests with header x-canary = insider go to the canary; all other traffic stays on the primary.',
  );
  await expect(panel.getByTestId('traffic-split')).toHaveAttribute(
    'aria-label',
    /Default route: primary 100%, canary 0%$/,
  );
  await expect(
    panel.getByRole('table', { name: 'VirtualService routes' }),
  ).toContainText('header x-canary = insider');
  await shoot(page, 'delivery-search-ab');
});

test('reports (blue/green) counts its iterations up to N of N, then all traffic on the canary', async ({
  page,
}) => {
  test.setTimeout(BLUE_GREEN_WAIT_MS + 120_000);
  const panel = await openTab(
    page,
    'reports',
    'canary-dev-eu-1-tenant-d/reports',
  );
  const headline = panel.getByTestId('canary-headline');
  const seen = new Set<string>();
  await expect
    .poll(
      async () => {
        const text = (await headline.textContent()) ?? '';
        seen.add(text);
        return text;
      },
      { timeout: BLUE_GREEN_WAIT_MS, intervals: [1_000] },
    )
    .toContain('iteration 4 of 4, all traffic on the canary');
  await expect(panel.getByTestId('traffic-split')).toHaveAttribute(
    'aria-label',
    'Traffic split: primary 0%, canary 100%',
  );
  await shoot(page, 'delivery-reports-bluegreen');
  // Flagger counts one past the last iteration when it switches traffic: never "5 of 4".
  for (const text of seen) {
    const match = /iteration (\d+) of (\d+)/.exec(text);
    if (match) {
      expect(Number(match[1])).toBeLessThanOrEqual(Number(match[2]));
    }
  }
});
