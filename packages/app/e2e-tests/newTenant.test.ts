import { test, expect } from '@playwright/test';

// The demo's "github.com" is the GitOps test double (scripts/start-demo.mjs, port 7008).
const gitops = 'http://127.0.0.1:7008/api/v3/repos/acme/gitops';

test('a platform engineer onboards a tenant from Create, as a pull request', async ({
  page,
  request,
}) => {
  // Unique per run: the double keeps the pull requests of earlier runs while the demo runs.
  const tenant = `e2e-${Date.now().toString(36)}`;

  await page.goto('/create/templates/default/new-tenant');
  await page.getByLabel('Tenant name').fill(tenant);
  await page.getByLabel('Owning team').click();
  await page.getByRole('option', { name: /team-a/ }).click();
  await page.getByLabel('Slack channel for alerts').fill(`#${tenant}-alerts`);
  await page.getByRole('button', { name: 'Next' }).click();

  // The ProgressiveDeliveryClusterPicker field: a checkbox per cluster the Progressive Delivery
  // backend has (the demo's prod-eu-1 and dev-eu-1), each with its state.
  const clusters = page.getByRole('group', { name: /^Clusters(\s*\*)?$/ });
  await expect(
    clusters.getByRole('checkbox', { name: /dev-eu-1/ }),
  ).toBeVisible({ timeout: 30_000 });
  await clusters.getByRole('checkbox', { name: /prod-eu-1/ }).check();
  await expect(
    clusters.locator('label', { hasText: 'prod-eu-1' }),
  ).toContainText(/in sync|still listing objects|partly in sync/);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click(); // network defaults
  await page.getByLabel('Application name').fill('orders');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  const prLink = page.getByRole('link', { name: /pull request/i });
  await expect(prLink).toBeVisible({ timeout: 60_000 });
  await page.screenshot({
    path: 'test-results/screenshots/new-tenant-task.png',
    fullPage: true,
  });

  // The pull request on the double: its branch, description and the tenant's files.
  const number = /\/pull\/(\d+)$/.exec(
    (await prLink.getAttribute('href')) ?? '',
  )?.[1];
  expect(number).toBeDefined();
  const pr = await (await request.get(`${gitops}/pulls/${number}`)).json();
  expect(pr.head.ref).toBe(`onboard-tenant-${tenant}`);
  expect(pr.title).toContain(tenant);
  expect(pr.body).toContain('group:default/team-a');

  for (const path of [
    `kubernetes/apps/base/${tenant}/namespace.yaml`,
    `kubernetes/apps/base/${tenant}/apps/orders-canary.yaml`,
    'kubernetes/apps/overlays/prod-eu-1/kustomization.yaml',
  ]) {
    const file = await request.get(
      `${gitops}/contents/${path}?ref=${pr.head.ref}`,
    );
    expect(file.status(), path).toBe(200);
  }
  const overlay = await (
    await request.get(
      `${gitops}/contents/kubernetes/apps/overlays/prod-eu-1/kustomization.yaml?ref=${pr.head.ref}`,
    )
  ).json();
  expect(Buffer.from(overlay.content, 'base64').toString()).toContain(
    `../../base/${tenant}`,
  );
});
