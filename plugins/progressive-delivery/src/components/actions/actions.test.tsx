import { ResponseError } from '@backstage/errors';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MockProgressiveDeliveryApi } from '../../api/MockProgressiveDeliveryApi';
import { progressiveDeliveryApiRef } from '../../api/ProgressiveDeliveryApi';
import { paymentsState, podinfoState } from '../../__fixtures__/deliveryStates';
import { renderCanaryPanel } from '../../__testUtils__/renderCanaryPanel';
import { LiveCanaryPanel } from '../../__testUtils__/LiveCanaryPanel';
import {
  ActionRequest,
  ActionResponse,
  EntityDeliveryState,
  ObjectRef,
} from '@progressive-delivery/plugin-progressive-delivery-common';

async function renderPanel(
  state: EntityDeliveryState,
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY
    | ((
        permission: string,
      ) =>
        | AuthorizeResult.ALLOW
        | AuthorizeResult.DENY) = AuthorizeResult.ALLOW,
  api = new MockProgressiveDeliveryApi(),
) {
  await renderCanaryPanel(state, [
    [progressiveDeliveryApiRef, api],
    mockApis.permission({
      authorize:
        typeof authorize === 'function'
          ? request => authorize(request.permission.name)
          : authorize,
    }),
  ]);
  return api;
}

const podinfoCanary = {
  cluster: 'prod-eu-1',
  kind: 'Canary',
  namespace: 'tenant-a',
  name: 'podinfo',
};

/** An action as the mock records it, sent from podinfo's Delivery tab. */
function sentFromPodinfo(
  ref: ObjectRef,
  action: string,
  request: ActionRequest = {},
) {
  return {
    ref,
    action,
    request: { entityRef: 'component:default/podinfo', ...request },
  };
}

/** The error a backend refusal arrives as: a Backstage error body with its status. */
async function refusal(status: number, name: string, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'POST', url: '/v1/…' },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}

/** The delivery chain's node of one kind (the source, the Kustomization, ...). */
function chainNode(kind: string) {
  const chain = screen.getByRole('list', { name: 'Delivery chain' });
  const node = within(chain)
    .getAllByRole('listitem')
    .find(item => item.textContent?.replace(/^→/, '').startsWith(kind));
  if (!node) {
    throw new Error(`No ${kind} in the delivery chain`);
  }
  return within(node);
}

async function confirm(name: string) {
  await userEvent.click(
    within(screen.getByRole('dialog')).getByRole('button', { name }),
  );
}

/** The page behind a dialog is hidden from queries until the dialog has gone. */
async function dialogClosed() {
  await waitFor(() =>
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
  );
}

const kustomizationRef = {
  cluster: 'prod-eu-1',
  kind: 'Kustomization',
  namespace: 'flux-system',
  name: 'tenant-a-apps',
};

describe('actions', () => {
  it('approves the gate the canary waits at, after confirmation, and says what was done', async () => {
    const api = await renderPanel(podinfoState({ waitingPromotion: true }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve promotion' }),
    );
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Approve promotion of podinfo:6.7.1?Opens the gate "promotion-gate" of tenant-a/podinfo in prod-eu-1.',
    );
    await confirm('Approve promotion');
    await waitFor(() =>
      expect(api.actions).toEqual([sentFromPodinfo(podinfoCanary, 'approve')]),
    );
    await dialogClosed();
    expect(screen.getByRole('status', { name: '' })).toHaveTextContent(
      'approve Canary tenant-a/podinfo in prod-eu-1',
    );
  });

  it('keeps saying what was done when Flagger passes the gate at once', async () => {
    const api = new MockProgressiveDeliveryApi();
    const waiting = podinfoState({ waitingPromotion: true });
    // Flagger's next check passes the opened gate: promoting, nothing waits any more.
    const promoting = structuredClone(waiting);
    const { progress } = promoting.clusters[0].canaries[0];
    progress.phase = 'Promoting';
    progress.gates = progress.gates.map(gate => ({ ...gate, waiting: false }));
    const next = podinfoState();
    next.clusters[0].canaries[0].progress.revision.lastAppliedSpec = 'a1b2c3d4';
    await renderInTestApp(
      <LiveCanaryPanel states={[waiting, promoting, next]} />,
      {
        apis: [
          [progressiveDeliveryApiRef, api],
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve promotion' }),
    );
    await confirm('Approve promotion');
    await dialogClosed();
    const done = 'approve Canary tenant-a/podinfo in prod-eu-1';
    expect(screen.getByRole('status')).toHaveTextContent(done);

    await userEvent.click(screen.getByRole('button', { name: 'Next state' }));
    expect(
      screen.queryByRole('button', { name: 'Approve promotion' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(done);

    // A new revision: what was done to the last one no longer shows.
    await userEvent.click(screen.getByRole('button', { name: 'Next state' }));
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('offers to halt a gate approved from here until Flagger passes it', async () => {
    const api = await renderPanel(podinfoState({ waitingPromotion: true }));
    expect(
      screen.queryByRole('button', { name: 'Halt' }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve promotion' }),
    );
    await confirm('Approve promotion');
    await userEvent.click(await screen.findByRole('button', { name: 'Halt' }));
    expect(screen.getByRole('dialog')).toHaveTextContent(
      'Halt podinfo:6.7.1 at its gate?Closes the gate "promotion-gate" of tenant-a/podinfo in prod-eu-1 again: at its next check Flagger stops at the gate and waits for a new approval. Traffic stays where it is; nothing is rolled back.',
    );
    await confirm('Halt');
    await waitFor(() =>
      expect(api.actions.map(a => a.action)).toEqual(['approve', 'halt']),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Halt' }),
      ).not.toBeInTheDocument(),
    );
  });

  it('offers to halt while a gate Flagger passed keeps the analysis going', async () => {
    const api = await renderPanel(podinfoState({ approvedRollout: true }));
    await userEvent.click(await screen.findByRole('button', { name: 'Halt' }));
    expect(screen.getByRole('dialog')).toHaveTextContent(
      'Closes the gates "rollout-gate", "promotion-gate" of tenant-a/podinfo in prod-eu-1 again',
    );
    await confirm('Halt');
    await waitFor(() =>
      expect(api.actions).toEqual([sentFromPodinfo(podinfoCanary, 'halt')]),
    );
  });

  it('offers a rollback while the rollout runs, and nothing is sent on cancel', async () => {
    const api = await renderPanel(podinfoState({ canaryWeight: 10 }));
    expect(
      screen.queryByRole('button', { name: /^Approve|^Halt/ }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Roll back' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(api.actions).toEqual([]);
  });

  it('shows the backend’s refusal in the dialog and lets the person try again', async () => {
    const api = new MockProgressiveDeliveryApi({
      onAction: async () => {
        throw await refusal(
          409,
          'ConflictError',
          'Canary tenant-a/podinfo in prod-eu-1 is Succeeded: Flagger only rolls back a revision under analysis (Progressing, Waiting, WaitingPromotion)',
        );
      },
    });
    await renderPanel(podinfoState(), AuthorizeResult.ALLOW, api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Roll back' }),
    );
    await confirm('Roll back');
    const alert = await within(screen.getByRole('dialog')).findByRole('alert');
    expect(alert).toHaveTextContent(
      'Not possible right nowCanary tenant-a/podinfo in prod-eu-1 is Succeeded: Flagger only rolls back a revision under analysis',
    );
    api.setActionHandler(undefined);
    await confirm('Try again');
    await dialogClosed();
    expect(api.actions.map(a => a.action)).toEqual(['rollback', 'rollback']);
  });

  it('shows progress while the action runs', async () => {
    let answer: (response: ActionResponse) => void = () => {};
    const api = new MockProgressiveDeliveryApi({
      onAction: () =>
        new Promise<ActionResponse>(resolve => {
          answer = resolve;
        }),
    });
    await renderPanel(podinfoState(), AuthorizeResult.ALLOW, api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Roll back' }),
    );
    await confirm('Roll back');
    const dialog = screen.getByRole('dialog');
    expect(
      within(dialog).getByRole('progressbar', {
        name: 'Roll back in progress',
      }),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    ).toBeDisabled();
    answer({
      action: 'rollback',
      ref: podinfoCanary,
      entityRef: 'component:default/podinfo',
      message:
        'Opened the rollback gate rollback-gate: Flagger rolls podinfo back at its next check.',
    });
    expect(
      await screen.findByText(
        'Opened the rollback gate rollback-gate: Flagger rolls podinfo back at its next check.',
      ),
    ).toBeInTheDocument();
  });

  it('reconciles the Kustomization with its source, and the source alone', async () => {
    const api = await renderPanel(podinfoState());
    const kustomization = chainNode('Kustomization');
    await userEvent.click(
      await kustomization.findByRole('button', { name: 'Reconcile' }),
    );
    expect(screen.getByRole('dialog')).toHaveTextContent(
      'Reconcile Kustomization flux-system/tenant-a-apps?Asks Flux in prod-eu-1 to reconcile it now, after fetching its source GitRepository tenant-a, instead of at its next interval.',
    );
    await confirm('Reconcile');
    await dialogClosed();
    await userEvent.click(
      chainNode('GitRepository').getByRole('button', { name: 'Reconcile' }),
    );
    await confirm('Reconcile');
    await waitFor(() =>
      expect(api.actions).toEqual([
        sentFromPodinfo(kustomizationRef, 'reconcile', { withSource: true }),
        sentFromPodinfo(
          { ...kustomizationRef, kind: 'GitRepository', name: 'tenant-a' },
          'reconcile',
          { withSource: false },
        ),
      ]),
    );
  });

  it('suspends a running Kustomization and resumes a suspended one', async () => {
    const api = await renderPanel(podinfoState());
    await userEvent.click(
      await chainNode('Kustomization').findByRole('button', {
        name: 'Suspend',
      }),
    );
    expect(screen.getByRole('dialog')).toHaveTextContent(
      'Suspend Kustomization flux-system/tenant-a-apps?Sets spec.suspend to true in prod-eu-1: Flux stops reconciling it, so new revisions are not applied until it is resumed.',
    );
    await confirm('Suspend');
    await waitFor(() =>
      expect(api.actions).toEqual([
        sentFromPodinfo(kustomizationRef, 'suspend'),
      ]),
    );
  });

  it('resumes a suspended Kustomization, and shows why a reconcile is refused', async () => {
    const api = new MockProgressiveDeliveryApi({
      onAction: async (ref, action) => {
        if (action === 'reconcile') {
          throw await refusal(
            409,
            'ConflictError',
            'Kustomization flux-system/tenant-a-apps in prod-eu-1 is suspended (spec.suspend: true), so Flux would ignore a reconcile request. Resume it first.',
          );
        }
        return {
          action,
          ref,
          entityRef: 'component:default/podinfo',
          suspended: false,
          message:
            'Resumed Kustomization flux-system/tenant-a-apps in prod-eu-1 and requested a reconciliation.',
        };
      },
    });
    await renderPanel(
      podinfoState({ suspended: true }),
      AuthorizeResult.ALLOW,
      api,
    );
    const kustomization = chainNode('Kustomization');
    expect(
      kustomization.queryByRole('button', { name: 'Suspend' }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      await kustomization.findByRole('button', { name: 'Reconcile' }),
    );
    await confirm('Reconcile');
    expect(
      await within(screen.getByRole('dialog')).findByRole('alert'),
    ).toHaveTextContent(
      'Not possible right nowKustomization flux-system/tenant-a-apps in prod-eu-1 is suspended (spec.suspend: true), so Flux would ignore a reconcile request. Resume it first.',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    await dialogClosed();
    await userEvent.click(
      kustomization.getByRole('button', { name: 'Resume' }),
    );
    expect(screen.getByRole('dialog')).toHaveTextContent(
      'Sets spec.suspend to false in prod-eu-1 and requests a reconciliation',
    );
    await confirm('Resume');
    expect(
      await kustomization.findByText(
        'Resumed Kustomization flux-system/tenant-a-apps in prod-eu-1 and requested a reconciliation.',
      ),
    ).toBeInTheDocument();
    expect(api.actions.map(a => a.action)).toEqual(['reconcile', 'resume']);
  });

  it('shows each action only to users who hold its permission', async () => {
    // Permission results are cached per entity across renders: use an entity of its own.
    const state = {
      ...podinfoState({ waitingPromotion: true }),
      entityRef: 'component:default/podinfo-of-another-team',
    };
    await renderPanel(state, permission =>
      permission === 'progressive-delivery.flux.reconcile'
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    );
    await waitFor(() =>
      expect(screen.getAllByRole('button', { name: 'Reconcile' })).toHaveLength(
        2,
      ),
    );
    for (const name of ['Approve promotion', 'Roll back', 'Suspend']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
  });

  it('offers no canary action once the rollout is over', async () => {
    await renderPanel(paymentsState());
    await screen.findByTestId('canary-headline');
    expect(
      screen.queryByRole('button', { name: /Approve|Roll back|Halt/ }),
    ).not.toBeInTheDocument();
  });
});
