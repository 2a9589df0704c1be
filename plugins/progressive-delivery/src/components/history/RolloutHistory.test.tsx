import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MockProgressiveDeliveryApi } from '../../api/MockProgressiveDeliveryApi';
import { progressiveDeliveryApiRef } from '../../api/ProgressiveDeliveryApi';
import { podinfoState } from '../../__fixtures__/deliveryStates';
import { component } from '../../__fixtures__/entities';
import {
  approvedRollout,
  failedRollout,
  podinfoRollouts,
  podinfoSummary,
  progressingRollout,
} from '../../__fixtures__/rollouts';
import {
  paymentsRollout,
  paymentsRolloutAnalysis,
  paymentsStateWithEvidence,
} from '../../__fixtures__/analysis';
import { mockChartSize } from '../../__testUtils__/chartSize';
import { NotFoundError } from '@backstage/errors';
import { RolloutAnalysisResponse } from '@progressive-delivery/plugin-progressive-delivery-common';
import { EntityProgressiveDeliveryContent } from '../entity/EntityDeliveryContent';
import { RolloutHistory } from './RolloutHistory';

const PODINFO = 'component:default/podinfo';
const PAYMENTS = 'component:default/payments';

mockChartSize();

async function renderTab(api: MockProgressiveDeliveryApi, name = 'podinfo') {
  await renderInTestApp(
    <EntityProvider entity={component(name)}>
      <EntityProgressiveDeliveryContent />
    </EntityProvider>,
    {
      apis: [[progressiveDeliveryApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

function rows() {
  const table = screen.getByRole('table', {
    name: 'Recorded rollouts, newest first',
  });
  return within(table).getAllByRole('row').slice(1);
}

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map(cell => cell.textContent ?? '');

const historyRequests = (api: MockProgressiveDeliveryApi) =>
  api.historyRequests.filter(r => r.what === 'history');

describe('RolloutHistory', () => {
  it('shows the summary figures and each rollout’s outcome, duration, weight and reason', async () => {
    const api = new MockProgressiveDeliveryApi({
      entities: [podinfoState()],
      rollouts: { [PODINFO]: podinfoRollouts() },
      summaries: [podinfoSummary()],
    });
    await renderTab(api);

    const summary = await screen.findByLabelText(
      'Rollouts of the last 30 days',
    );
    expect(summary).toHaveTextContent(
      'Rollouts31 in progressSuccess rate50%1 of 2 ended promotedRollbacks1all by Flagger’s analysisMedian time to promote9 minover 1 promoted rollout',
    );

    await waitFor(() => expect(rows()).toHaveLength(3));
    const [progressing, approved, failed] = rows().map(cells);
    const started = expect.any(String);
    expect(progressing).toEqual([
      '',
      'tenant-a/podinfoprod-eu-1',
      '7c9d8f6b5replaces 5f4d7c8b9',
      started,
      expect.stringMatching(/^running \d+/),
      'In progress',
      '10%',
      '0',
      '—',
      '—',
    ]);
    expect(approved).toEqual([
      '',
      'tenant-a/podinfoprod-eu-1',
      '5f4d7c8b9replaces 2b3c4d5e6',
      started,
      '9 min',
      'Promoted',
      '20%',
      '0',
      '—',
      'approved by jane.doe',
    ]);
    expect(failed).toEqual([
      '',
      'tenant-b/podinfodev-eu-1',
      '9a8b7c6d5replaces 4e5f6a7b8',
      started,
      '4 min',
      'Rolled back',
      '10%',
      '5',
      'Rolling back podinfo.tenant-b failed checks threshold reached 5 (last failed check: Halt podinfo.tenant-b advancement success rate 80.12% < 95%)',
      '—',
    ]);
  });

  it('opens a rollout’s event timeline, oldest first', async () => {
    const api = new MockProgressiveDeliveryApi({
      entities: [podinfoState()],
      rollouts: { [PODINFO]: [approvedRollout()] },
    });
    await renderTab(api);
    const toggle = await screen.findByRole('button', {
      name: 'Analysis and events of the rollout of 5f4d7c8b9 in prod-eu-1 tenant-a/podinfo',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    const timeline = screen.getByRole('list', {
      name: 'Events of the rollout of 5f4d7c8b9 in prod-eu-1 tenant-a/podinfo, oldest first',
    });
    const events = within(timeline).getAllByRole('listitem');
    expect(events).toHaveLength(11);
    expect(events[0]).toHaveTextContent(
      'New revision detected! Scaling up podinfo.tenant-a',
    );
    expect(events[6]).toHaveTextContent(
      'Warning: Halt podinfo.tenant-a advancement waiting for promotion approval promotion-gate',
    );
    expect(events[10]).toHaveTextContent(
      'Promotion completed! Scaling down podinfo.tenant-a',
    );
    await userEvent.click(toggle);
    expect(timeline).not.toBeInTheDocument();
  });

  it('pages to older rollouts and back with the backend’s cursor', async () => {
    const many = [
      progressingRollout(),
      ...Array.from({ length: 11 }, (_, i) => ({
        ...failedRollout(),
        id: String(100 - i),
        revision: `rev${i}`,
      })),
    ];
    const api = new MockProgressiveDeliveryApi({
      entities: [podinfoState()],
      rollouts: { [PODINFO]: many },
    });
    await renderTab(api);
    await waitFor(() => expect(rows()).toHaveLength(10));
    const pages = screen.getByRole('navigation', {
      name: 'Rollout history pages',
    });
    expect(within(pages).getByRole('button', { name: 'Newer' })).toBeDisabled();
    await userEvent.click(within(pages).getByRole('button', { name: 'Older' }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()[0]).toHaveTextContent('rev9');
    expect(pages).toHaveTextContent('Page 2');
    expect(within(pages).getByRole('button', { name: 'Older' })).toBeDisabled();
    await userEvent.click(within(pages).getByRole('button', { name: 'Newer' }));
    await waitFor(() => expect(rows()).toHaveLength(10));
    expect(historyRequests(api).map(r => r.page)).toEqual([
      { limit: 10, cursor: undefined },
      { limit: 10, cursor: '10' },
      { limit: 10, cursor: undefined },
    ]);
  });

  it('loads again when the live stream shows a rollout end, not on every traffic step', async () => {
    const api = new MockProgressiveDeliveryApi({
      entities: [podinfoState({ canaryWeight: 10 })],
      rollouts: { [PODINFO]: [progressingRollout()] },
    });
    await renderTab(api);
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(historyRequests(api)).toHaveLength(1);

    act(() => api.setEntityState(podinfoState({ canaryWeight: 15 })));
    expect(
      await screen.findByRole('img', {
        name: 'Traffic split: primary 85%, canary 15%',
      }),
    ).toBeInTheDocument();
    expect(historyRequests(api)).toHaveLength(1);

    api.setRollouts(PODINFO, [
      { ...progressingRollout(), outcome: 'failed', maxWeight: 15 },
    ]);
    act(() => api.setEntityState(podinfoState({ waitingPromotion: true })));
    await waitFor(() => expect(rows()[0]).toHaveTextContent('Rolled back'));
    expect(historyRequests(api)).toHaveLength(2);
  });

  it('asks again while the live state shows a rollout the history lacks', async () => {
    const api = new MockProgressiveDeliveryApi({
      rollouts: { [PODINFO]: [approvedRollout()] },
    });
    const getHistory = jest.spyOn(api, 'getRolloutHistory');
    getHistory.mockImplementationOnce(async (ref, page) => {
      const answer = await api.getRolloutHistory(ref, page);
      // The recorder stores the new rollout just after the first answer.
      api.setRollouts(PODINFO, podinfoRollouts());
      return answer;
    });
    await renderInTestApp(
      <RolloutHistory
        entityRef={PODINFO}
        state={podinfoState({ canaryWeight: 10 })}
        catchUpDelayMs={0}
      />,
      { apis: [[progressiveDeliveryApiRef, api]] },
    );
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(rows()[0]).toHaveTextContent('In progress');
  });

  it('asks for the summary over the chosen window', async () => {
    const api = new MockProgressiveDeliveryApi({
      rollouts: { [PODINFO]: [] },
    });
    await renderInTestApp(<RolloutHistory entityRef={PODINFO} />, {
      apis: [[progressiveDeliveryApiRef, api]],
    });
    expect(
      await screen.findByText(/^No rollout recorded yet\./),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText('Rollouts of the last 30 days'),
    ).toHaveTextContent('Rollouts0in the last 30 daysSuccess rate—');
    await userEvent.click(screen.getByRole('button', { name: /Last 30 days/ }));
    await userEvent.click(screen.getByRole('option', { name: 'Last 7 days' }));
    expect(
      await screen.findByLabelText('Rollouts of the last 7 days'),
    ).toHaveTextContent('in the last 7 days');
    expect(
      api.historyRequests.filter(r => r.what === 'summary').map(r => r.days),
    ).toEqual([30, 7]);
    // The page of rollouts does not depend on the window.
    expect(historyRequests(api)).toHaveLength(1);
  });

  it('shows the backend’s message when the history cannot be read', async () => {
    const api = new MockProgressiveDeliveryApi();
    jest
      .spyOn(api, 'getRolloutHistory')
      .mockRejectedValue(new Error('The rollout history is not configured'));
    await renderInTestApp(<RolloutHistory entityRef={PODINFO} />, {
      apis: [[progressiveDeliveryApiRef, api]],
    });
    expect(
      await screen.findByText(
        'The history cannot be loaded: The rollout history is not configured',
      ),
    ).toBeInTheDocument();
  });

  it('names the check and value that failed a rollout, above Flagger’s reason', async () => {
    const api = new MockProgressiveDeliveryApi({
      entities: [paymentsStateWithEvidence()],
      rollouts: { [PAYMENTS]: [paymentsRollout()] },
    });
    await renderTab(api, 'payments');
    await waitFor(() => expect(rows()).toHaveLength(1));
    const reason = cells(rows()[0])[8];
    expect(reason).toBe(
      'rolled back at 10 %: request-success-rate 84.7 % < 99 %' +
        'Rolling back payments.tenant-b failed checks threshold reached 2 (last failed check: Halt payments.tenant-b advancement success rate 84.70% < 99%)',
    );
    expect(within(rows()[0]).getByTestId('failed-check')).toHaveTextContent(
      'rolled back at 10 %: request-success-rate 84.7 % < 99 %',
    );
  });

  it('fetches a rollout’s analysis only when its row opens, and draws its charts', async () => {
    let answer: (response: RolloutAnalysisResponse) => void = () => {};
    const api = new MockProgressiveDeliveryApi({
      entities: [paymentsStateWithEvidence()],
      rollouts: { [PAYMENTS]: [paymentsRollout()] },
      analyses: {
        '57': () =>
          new Promise(resolve => {
            answer = resolve;
          }),
      },
    });
    await renderTab(api, 'payments');
    const toggle = await screen.findByRole('button', {
      name: 'Analysis and events of the rollout of 8e7f6a5b4 in dev-eu-1 tenant-b/payments',
    });
    expect(api.analysisRequests).toEqual([]);

    await userEvent.click(toggle);
    expect(api.analysisRequests).toEqual([
      { entityRef: PAYMENTS, rolloutId: '57' },
    ]);
    const analysis = screen.getByRole('region', {
      name: 'Analysis of the rollout of 8e7f6a5b4 in dev-eu-1 tenant-b/payments',
    });
    expect(
      within(analysis).getByRole('progressbar', {
        name: 'Loading the analysis of the rollout of 8e7f6a5b4',
      }),
    ).toBeInTheDocument();

    await act(async () => answer(paymentsRolloutAnalysis()));
    const charts = within(analysis).getByRole('group', {
      name: 'Checks of the rollout of 8e7f6a5b4 in dev-eu-1 tenant-b/payments',
    });
    const figures = within(charts).getAllByRole('figure');
    expect(figures.map(f => f.getAttribute('aria-label'))).toEqual([
      'request-success-rate: canary and primary over the rollout',
      'latency: canary and primary over the rollout',
    ]);
    expect(figures[0]).toHaveTextContent('now 84.7 % vs primary 99.6 %');
    expect(
      figures[0].querySelectorAll('.recharts-scatter-symbol'),
    ).toHaveLength(2);
    expect(within(analysis).queryByRole('progressbar')).not.toBeInTheDocument();

    // Closed and opened again: asked again (a rollout in progress has new points by then).
    await userEvent.click(toggle);
    expect(analysis).not.toBeInTheDocument();
    await userEvent.click(toggle);
    expect(api.analysisRequests).toHaveLength(2);
  });

  it('says when a rollout has no measurements, or they cannot be loaded', async () => {
    const api = new MockProgressiveDeliveryApi({
      entities: [podinfoState()],
      rollouts: { [PODINFO]: [approvedRollout(), failedRollout()] },
      analyses: {
        '40': async () => {
          throw new NotFoundError('No rollout 40 of component:default/podinfo');
        },
      },
    });
    await renderTab(api);
    await userEvent.click(
      await screen.findByRole('button', {
        name: /^Analysis and events of the rollout of 5f4d7c8b9 /,
      }),
    );
    expect(
      await screen.findByText(
        'No measurements were recorded for this rollout.',
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', {
        name: /^Analysis and events of the rollout of 9a8b7c6d5 /,
      }),
    );
    expect(
      await screen.findByText(
        'The analysis cannot be loaded: No rollout 40 of component:default/podinfo',
      ),
    ).toBeInTheDocument();
    // The events of the rollout still show.
    expect(
      screen.getByRole('list', {
        name: 'Events of the rollout of 9a8b7c6d5 in dev-eu-1 tenant-b/podinfo, oldest first',
      }),
    ).toBeInTheDocument();
  });
});
