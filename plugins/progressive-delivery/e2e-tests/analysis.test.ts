import { expect, Locator, Page, test } from '@playwright/test';
import { shoot, shootPart } from './screenshots';

// The backend evaluates each check's query against the cluster's Prometheus once per analysis
// interval while a canary is analysed (60 simulated s for podinfo in prod-eu-1, 30 s in
// dev-eu-1; 15 s and 7.5 s at the playwright config's `--speed 4`). podinfo's canary is as
// healthy as its primary (99.95 % against a minimum of 99.5 %). Every other payments release in
// dev-eu-1 fails (success rate about 88.5 % against a minimum of 95 %) and is rolled back; a
// release comes every 6 simulated minutes, so a failed one within about 12 (3 real minutes).
const MEASURED_WAIT_MS = 9 * 60_000;
const FAILED_ROLLOUT_WAIT_MS = 8 * 60_000;

/** A measured value with its unit, as the checks table and the charts write it. */
const MEASURE = /^\d+(\.\d+)? (%|ms)$/;

async function openTab(page: Page, entity: string, testId: string) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/catalog/default/component/${entity}/delivery`);
  const panel = page.getByTestId(testId);
  await expect(panel).toBeVisible({ timeout: 60_000 });
  return panel;
}

/** The cells of a check's row in the analysis checks table. */
function checkRow(panel: Locator, metric: string) {
  return panel
    .getByRole('table', { name: 'Analysis checks' })
    .getByRole('row')
    .filter({
      has: panel.page().getByRole('cell', { name: metric, exact: true }),
    });
}

function chart(scope: Locator, metric: string) {
  return scope.getByRole('figure', {
    name: `${metric}: canary and primary over the rollout`,
  });
}

/** A chart that recharts has drawn: two lines (canary, primary) on a sized SVG. */
async function expectDrawn(figure: Locator) {
  await expect(figure.locator('svg.recharts-surface').first()).toBeVisible();
  await expect(figure.locator('.recharts-line')).toHaveCount(2);
  const box = await figure
    .locator('svg.recharts-surface')
    .first()
    .boundingBox();
  // Sized to its grid cell: readable, and small enough for several in a row at 1440 px.
  expect(box?.width ?? 0).toBeGreaterThan(250);
  expect(box?.height ?? 0).toBeGreaterThan(120);
  expect(box?.height ?? 0).toBeLessThan(220);
}

test('podinfo’s checks show the measured values next to their ranges and a chart of canary vs primary', async ({
  page,
}) => {
  test.setTimeout(MEASURED_WAIT_MS + 120_000);
  const panel = await openTab(
    page,
    'podinfo',
    'canary-prod-eu-1-tenant-a/podinfo',
  );
  const table = panel.getByRole('table', { name: 'Analysis checks' });
  // Between rollouts a canary may have nothing measured yet: wait for the next one.
  await expect(
    table.getByRole('columnheader', { name: 'Canary now' }),
  ).toBeVisible({
    timeout: MEASURED_WAIT_MS,
  });
  await expect(
    table.getByRole('columnheader', { name: 'Primary now' }),
  ).toBeVisible();

  const success = checkRow(panel, 'request-success-rate').getByRole('cell');
  // The first evaluation comes within an analysis interval of the rollout's start.
  await expect(success.nth(3)).toHaveText(MEASURE, {
    timeout: MEASURED_WAIT_MS,
  });
  await expect(success.nth(2)).toHaveText('≥ 99.5 %');
  await expect(success.nth(4)).toHaveText(MEASURE);
  // The simulated traffic varies around 99.95 %: whichever side of the minimum the latest
  // value falls, its colour says so.
  const canaryValue = parseFloat((await success.nth(3).textContent()) ?? '');
  expect(canaryValue).toBeGreaterThan(90);
  expect(canaryValue).toBeLessThanOrEqual(100);
  await expect(
    success
      .nth(3)
      .locator(`[data-verdict="${canaryValue >= 99.5 ? 'pass' : 'fail'}"]`),
  ).toBeVisible();

  const duration = checkRow(panel, 'request-duration').getByRole('cell');
  await expect(duration.nth(2)).toHaveText('≤ 500 ms');
  await expect(duration.nth(3)).toHaveText(/^\d+(\.\d+)? ms$/);

  const charts = panel.getByRole('group', {
    name: 'Checks of tenant-a/podinfo over the rollout',
  });
  const successChart = chart(charts, 'request-success-rate');
  await expect(successChart).toContainText('accepted ≥ 99.5 %');
  await expect(successChart).toContainText(
    /now \d+(\.\d+)? % vs primary \d+(\.\d+)? %/,
  );
  await expectDrawn(successChart);
  await expect(successChart.locator('.recharts-reference-area')).toHaveCount(1);
  await expectDrawn(chart(charts, 'request-duration'));

  // The tooltip names the step of the point under the pointer.
  const surface = successChart.locator('svg.recharts-surface').first();
  // hover() scrolls the chart into view first (the charts sit below the fold at 1440x900).
  await surface.scrollIntoViewIfNeeded();
  const box = await surface.boundingBox();
  await surface.hover({
    position: { x: box!.width - 30, y: box!.height / 2 },
  });
  await expect(successChart).toContainText(/step \d+ % on the canary/);

  await shoot(page, 'analysis-podinfo');
  await shootPart(
    panel.getByRole('region', { name: 'Canary vs primary' }),
    'analysis-podinfo-charts',
  );
});

test('payments’ failed rollout names the failing check and its value under the threshold; its row opens to charts', async ({
  page,
}) => {
  test.setTimeout(FAILED_ROLLOUT_WAIT_MS + 120_000);
  await openTab(page, 'payments', 'canary-dev-eu-1-tenant-b/payments');
  const history = page.getByRole('region', { name: 'Rollout history' });
  // A rollout that fails in the demo's first minute may have no measured value: the cluster's
  // Prometheus has not scraped twice yet, so the check's rate() finds no values (the fault is
  // shown as such). Wait for a failure with a measured value.
  const measuredFailure =
    /^rolled back at \d+ %: request-success-rate \d+(\.\d+)? % < 95 %$/;
  const failed = history
    .getByRole('row')
    .filter({ hasText: 'Rolled back' })
    .filter({
      has: page
        .getByTestId('failed-check')
        .filter({ hasText: measuredFailure }),
    })
    .first();
  await expect(async () => {
    await page.reload();
    await expect(failed).toBeVisible({ timeout: 20_000 });
  }).toPass({ timeout: FAILED_ROLLOUT_WAIT_MS, intervals: [5_000] });

  const headline = failed.getByTestId('failed-check');
  await expect(headline).toHaveText(measuredFailure);
  const [, value, bound] =
    /: request-success-rate ([\d.]+) % < ([\d.]+) %$/.exec(
      (await headline.textContent()) ?? '',
    ) ?? [];
  expect(Number(value)).toBeLessThan(Number(bound));
  // Flagger's own words stay beside it.
  await expect(failed).toContainText('failed checks threshold reached');

  await failed
    .getByRole('button', { name: /^Analysis and events of the rollout of / })
    .click();
  const analysis = history.getByRole('region', {
    name: /^Analysis of the rollout of .* in dev-eu-1 tenant-b\/payments$/,
  });
  const successChart = chart(analysis, 'request-success-rate');
  await expect(successChart).toBeVisible({ timeout: 30_000 });
  await expectDrawn(successChart);
  await expect(successChart).toContainText(/\d+ failed evaluations?/);
  await expect(
    successChart.locator('.recharts-scatter-symbol').first(),
  ).toBeVisible();
  await expect(chart(analysis, 'request-duration')).toBeVisible();
  await expect(
    history.getByRole('list', { name: /^Events of the rollout of / }),
  ).toContainText('Rolling back payments.tenant-b');

  await shootPart(history, 'analysis-payments-history');
});
