import { expect, test } from '@playwright/test';

// In the demo, podinfo in prod-eu-1 steps 5 → 20 % one analysis interval (60 simulated s) at a
// time and then waits at its promotion gate until someone opens it; after a promotion the next
// release comes 8 simulated minutes later. At `--speed 1` reaching the gate can take 15 minutes
// when a rollout has just ended; at `--speed 4` under 4.
const GATE_WAIT_MS = 16 * 60_000;
// Gate check, Promoting, Finalising, Succeeded: about four intervals.
const PROMOTION_WAIT_MS = 6 * 60_000;

test('approving the waiting podinfo canary promotes it, and the history shows the finished rollout', async ({
  page,
}) => {
  test.setTimeout(GATE_WAIT_MS + PROMOTION_WAIT_MS + 120_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/catalog/default/component/podinfo/delivery');

  const prod = page.getByRole('region', { name: 'Cluster prod-eu-1' });
  const panel = prod.getByTestId('canary-prod-eu-1-tenant-a/podinfo');
  const approve = prod.getByRole('button', { name: 'Approve promotion' });
  await expect(approve).toBeVisible({ timeout: GATE_WAIT_MS });
  await expect(panel.getByTestId('canary-headline')).toContainText(
    'Waiting for approval to promote',
  );
  // Flagger's hash of the revision at the gate: the history names rollouts by it.
  const revision = /spec ([0-9a-z]+)/.exec(
    (await panel
      .getByRole('region', { name: 'Rollout', exact: true })
      .textContent()) ?? '',
  )?.[1];
  expect(revision).toBeTruthy();

  await approve.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(
    'Opens the gate "promotion-gate" of tenant-a/podinfo in prod-eu-1.',
  );
  await dialog.getByRole('button', { name: 'Approve promotion' }).click();
  await expect(dialog).toBeHidden();
  await expect(
    prod.getByText(/^Opened the confirm-promotion gate promotion-gate/),
  ).toBeVisible();

  // The live stream shows the promotion; nobody reloads the page.
  await expect(panel.getByTestId('canary-headline')).toContainText(
    'is live — promoted',
    { timeout: PROMOTION_WAIT_MS },
  );

  const history = page.getByRole('region', { name: 'Rollout history' });
  const row = history
    .getByRole('row')
    .filter({ hasText: 'prod-eu-1' })
    .filter({ hasText: revision! });
  await expect(row).toHaveCount(1, { timeout: 60_000 });
  await expect(row).toContainText('Promoted', { timeout: 60_000 });
  await expect(row).toContainText('20%');
  await expect(row).toContainText('approved by guest');
  await expect(
    history.getByLabel('Rollouts of the last 30 days'),
  ).toContainText('Median time to promote');

  await row
    .getByRole('button', { name: /^Analysis and events of the rollout of / })
    .click();
  await expect(
    history.getByRole('list', { name: /^Events of the rollout of / }),
  ).toContainText('Promotion completed! Scaling down podinfo.tenant-a');

  await history.scrollIntoViewIfNeeded();
  await history.screenshot({ path: 'test-results/screenshots/history.png' });
});
