import { expect, Page, test } from '@playwright/test';

// The demo's podinfo rolls out a new revision every few minutes in each cluster; a change of
// traffic weight can take that long to come.
const ROLLOUT_WAIT_MS = 9 * 60_000;

async function splitLabels(page: Page): Promise<string[]> {
  return page
    .getByTestId('traffic-split')
    .evaluateAll(bars => bars.map(bar => bar.getAttribute('aria-label') ?? ''));
}

test('podinfo’s Delivery tab follows the canary live, with its Flux chain and Istio split', async ({
  page,
}) => {
  test.setTimeout(ROLLOUT_WAIT_MS + 180_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/catalog/default/component/podinfo/delivery');

  const prod = page.getByTestId('canary-prod-eu-1-tenant-a/podinfo');
  await expect(prod).toBeVisible({ timeout: 60_000 });
  await expect(prod.getByTestId('canary-headline')).not.toBeEmpty();
  await expect(
    prod.getByRole('list', { name: /^Rollout steps: / }),
  ).toBeVisible();
  await expect(
    prod.getByRole('list', { name: 'Delivery chain' }),
  ).toContainText('Kustomization');
  await expect(
    prod.getByRole('table', { name: 'VirtualService routes' }),
  ).toContainText('podinfo-canary');
  await expect(page.getByRole('status')).toContainText('Live');

  // Mark the document: a reload would lose the mark.
  await page.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });
  const before = await splitLabels(page);
  await page.screenshot({
    path: 'test-results/screenshots/delivery-podinfo.png',
    fullPage: true,
  });

  await expect
    .poll(async () => (await splitLabels(page)).join(' | '), {
      timeout: ROLLOUT_WAIT_MS,
      intervals: [2_000],
    })
    .not.toBe(before.join(' | '));
  expect(
    await page.evaluate(
      () => (window as unknown as { notReloaded?: boolean }).notReloaded,
    ),
  ).toBe(true);
  await page.screenshot({
    path: 'test-results/screenshots/delivery-podinfo-after-update.png',
    fullPage: true,
  });
});

test('checkout shows the development profile', async ({ page }) => {
  await page.goto('/catalog/default/component/checkout/delivery');
  const checkout = page.getByTestId('canary-dev-eu-1-tenant-b/checkout');
  await expect(checkout).toBeVisible({ timeout: 60_000 });
  await expect(checkout).toContainText('every 30 s');
  await expect(
    checkout.getByRole('list', { name: /^Rollout steps: / }),
  ).toContainText('50%');
});

test('an entity without annotations explains how to add them', async ({
  page,
}) => {
  await page.goto('/catalog/default/component/legacy-batch/delivery');
  await expect(page.getByText('Missing Annotation')).toBeVisible({
    timeout: 60_000,
  });
  await expect(
    page.getByText('backstage.io/kubernetes-id').first(),
  ).toBeVisible();
});

test('the fleet page lists every demo canary', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/progressive-delivery');
  const table = page.getByRole('table').last();
  for (const name of ['podinfo', 'frontend', 'checkout', 'payments']) {
    await expect(
      table.getByRole('link', { name, exact: true }).first(),
    ).toBeVisible({ timeout: 60_000 });
  }
  await page.screenshot({
    path: 'test-results/screenshots/fleet.png',
    fullPage: true,
  });

  // Narrow window: the page stays usable.
  await page.setViewportSize({ width: 420, height: 900 });
  await page.goto('/catalog/default/component/podinfo/delivery');
  await expect(
    page.getByTestId('canary-prod-eu-1-tenant-a/podinfo'),
  ).toBeVisible({ timeout: 60_000 });
  await page.screenshot({
    path: 'test-results/screenshots/delivery-podinfo-narrow.png',
    fullPage: true,
  });
});
