import { expect, Page, test } from '@playwright/test';

// The demo's permission policy (packages/backend/src/permissions): everyone reads, only an
// entity's owners approve, halt, roll back, reconcile, suspend and resume. The demo guest is
// a member of team-a only (examples/org.yaml): podinfo is team-a's, checkout team-b's.
// Every action button asks the permission backend (usePermission) before it shows.

/** Every label an action button of the Delivery tab can have. */
const ACTION_BUTTON =
  /^(Approve rollout|Approve traffic increase|Approve promotion|Halt|Roll back|Reconcile|Suspend|Resume)$/;

type Decision = { permission: string; resourceRef: string; result: string };

/**
 * Records the permission backend's answers to the page's checks: what was asked (permission,
 * resource) and what it answered, from each POST /api/permission/authorize.
 */
function recordDecisions(page: Page): Decision[] {
  const decisions: Decision[] = [];
  page.on('response', async response => {
    if (
      !response.url().endsWith('/api/permission/authorize') ||
      response.request().method() !== 'POST'
    ) {
      return;
    }
    const asked = response.request().postDataJSON() as {
      items: Array<{
        id: string;
        permission: { name: string };
        resourceRef?: string | string[];
      }>;
    };
    const answered = (await response.json()) as {
      items: Array<{ id: string; result: string | string[] }>;
    };
    for (const item of asked.items) {
      const answer = answered.items.find(a => a.id === item.id);
      // Batched requests (permission.EXPERIMENTAL_enableBatchedRequests) ask for several
      // resources at once and answer in the same order.
      const refs = [item.resourceRef ?? ''].flat();
      const results = [answer?.result ?? 'no answer'].flat();
      refs.forEach((resourceRef, i) =>
        decisions.push({
          permission: item.permission.name,
          resourceRef,
          result: results[i] ?? results[0],
        }),
      );
    }
  });
  return decisions;
}

/** The guest's ownership claims, from the sign-in the page makes (GET /api/auth/guest/refresh). */
function recordClaims(page: Page): { claims?: string[] } {
  const signIn: { claims?: string[] } = {};
  page.on('response', async response => {
    if (response.url().includes('/api/auth/guest/refresh') && response.ok()) {
      const body = await response.json();
      signIn.claims = body.backstageIdentity?.identity?.ownershipEntityRefs;
    }
  });
  return signIn;
}

test('podinfo (team-a’s, the guest’s team) offers its actions on the Delivery tab', async ({
  page,
}) => {
  const decisions = recordDecisions(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/catalog/default/component/podinfo/delivery');

  const prod = page.getByRole('region', { name: 'Cluster prod-eu-1' });
  await expect(
    prod.getByTestId('canary-prod-eu-1-tenant-a/podinfo'),
  ).toBeVisible({ timeout: 60_000 });
  // Every Flux object of the chain has Reconcile and Suspend (or Resume); the canary's own
  // buttons (approve, halt, roll back) depend on where its rollout is.
  await expect(
    prod.getByRole('button', { name: 'Reconcile', exact: true }).first(),
  ).toBeVisible();
  await expect(
    prod.getByRole('button', { name: /^(Suspend|Resume)$/ }).first(),
  ).toBeVisible();
  // The permission backend said so (the answer is recorded as it is read).
  await expect
    .poll(() =>
      decisions.filter(d => d.resourceRef === 'component:default/podinfo'),
    )
    .toContainEqual({
      permission: 'progressive-delivery.flux.reconcile',
      resourceRef: 'component:default/podinfo',
      result: 'ALLOW',
    });
  await page.screenshot({
    path: 'test-results/screenshots/permissions-podinfo.png',
    fullPage: true,
  });
});

test('checkout (team-b’s) shows its delivery state without any action', async ({
  page,
}) => {
  const decisions = recordDecisions(page);
  const signIn = recordClaims(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/catalog/default/component/checkout/delivery');
  await expect
    .poll(() => signIn.claims, {
      message: 'the page to sign the guest in (GET /api/auth/guest/refresh)',
    })
    .toBeDefined();
  expect(
    signIn.claims,
    'the guest signed in as a member of team-b: the catalog still has an older examples/org.yaml ' +
      '(a .demo-data/catalog.sqlite from before the guest left team-b; it refreshes within a few ' +
      'minutes, or delete it)',
  ).not.toContain('group:default/team-b');

  const dev = page.getByRole('region', { name: 'Cluster dev-eu-1' });
  const panel = dev.getByTestId('canary-dev-eu-1-tenant-b/checkout');
  await expect(panel).toBeVisible({ timeout: 60_000 });
  // The state is all there: phase, rollout steps, the Flux chain.
  await expect(panel.getByTestId('canary-headline')).not.toBeEmpty();
  await expect(
    panel.getByRole('list', { name: /^Rollout steps: / }),
  ).toBeVisible();
  await expect(
    panel.getByRole('list', { name: 'Delivery chain' }),
  ).toContainText('Kustomization');

  // A missing button proves nothing while its permission check is pending (it renders
  // nothing until then): wait for the answers first. checkout's canary has no gates, so only
  // the Flux objects' buttons ask.
  const checkout = () =>
    decisions.filter(d => d.resourceRef === 'component:default/checkout');
  await expect
    .poll(() => checkout().map(d => d.permission), { timeout: 30_000 })
    .toEqual(
      expect.arrayContaining([
        'progressive-delivery.flux.reconcile',
        'progressive-delivery.flux.suspend',
      ]),
    );
  // Reading stays allowed; every action is refused.
  expect(
    checkout().filter(
      d =>
        d.permission !== 'progressive-delivery.entity.read' &&
        d.result !== 'DENY',
    ),
  ).toEqual([]);
  await expect(page.getByRole('button', { name: ACTION_BUTTON })).toHaveCount(
    0,
  );
  await page.screenshot({
    path: 'test-results/screenshots/permissions-checkout.png',
    fullPage: true,
  });
});
