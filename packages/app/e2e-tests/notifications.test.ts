import { expect, test } from '@playwright/test';

// The owners of an entity are told when its canary waits for them (issue 16): when podinfo
// (team-a's; the demo guest is in team-a) reaches its promotion gate, the backend sends one
// notification to group:default/team-a, which the guest sees on the notifications page. Its
// link opens podinfo's Delivery tab with the approve button focused.

/** At four times the demo's speed podinfo reaches its gate within a few minutes. */
const GATE_WAIT_MS = 8 * 60_000;
// The notifications page names the link with ", Opens in a new window" after the title.
const TITLE = /^podinfo waits for promotion approval \(prod-eu-1\)/;

test('a canary waiting at its gate notifies its owners, with a link to the approve button', async ({
  page,
}) => {
  test.setTimeout(GATE_WAIT_MS + 120_000);
  await page.goto('/notifications');
  const notification = page.getByRole('link', { name: TITLE });
  await expect(async () => {
    await page.reload();
    await expect(notification.first()).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: GATE_WAIT_MS, intervals: [5_000] });
  await page.screenshot({
    path: 'test-results/screenshots/notifications.png',
    fullPage: true,
  });

  const href = await notification.first().getAttribute('href');
  expect(href).toMatch(
    /\/catalog\/default\/component\/podinfo\/delivery\?cluster=prod-eu-1&canary=tenant-a(%2F|\/)podinfo&action=approve$/,
  );
  await page.goto(href!);
  const panel = page.getByTestId('canary-prod-eu-1-tenant-a/podinfo');
  await expect(panel).toBeVisible();
  // While the canary still waits (nobody approved it yet), its approve button has the focus.
  const approve = panel.getByRole('button', { name: 'Approve promotion' });
  if (await approve.isVisible()) {
    await expect(approve).toBeFocused();
  }
});
