import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { act, render, screen, within } from '@testing-library/react';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { MockProgressiveDeliveryApi } from '../../api/MockProgressiveDeliveryApi';
import { progressiveDeliveryApiRef } from '../../api/ProgressiveDeliveryApi';
import { mockChartSize } from '../../__testUtils__/chartSize';
import { renderDeliveryTab } from '../../__testUtils__/renderDeliveryTab';
import {
  paymentsStateWithEvidence,
  podinfoEvidence,
  podinfoStateWithEvidence,
} from '../../__fixtures__/analysis';
import { podinfoState } from '../../__fixtures__/deliveryStates';
import { component } from '../../__fixtures__/entities';
import { EntityCanaryStatusCard } from '../cards/EntityCanaryStatusCard';
import { ChartTooltip } from './ChartTooltip';

mockChartSize();

/** The row of a check in the analysis checks table, as its cells' texts. */
function checkRow(metric: string) {
  const table = screen.getByRole('table', { name: 'Analysis checks' });
  const row = within(table).getByText(metric).closest('tr')!;
  return within(row).getAllByRole('cell');
}

function chart(metric: string) {
  return screen.getByRole('figure', {
    name: `${metric}: canary and primary over the rollout`,
  });
}

const failedMarkers = (figure: HTMLElement) =>
  figure.querySelectorAll('.recharts-scatter-symbol');

async function renderTab(state: EntityDeliveryState) {
  const api = new MockProgressiveDeliveryApi({ entities: [state] });
  const name = state.entityRef.split('/')[1];
  await renderDeliveryTab(component(name), api);
  await screen.findByTestId('canary-headline');
  return api;
}

describe('analysis evidence on the Delivery tab', () => {
  it('shows each check’s latest canary value next to its range, coloured, and the primary’s', async () => {
    await renderTab(podinfoStateWithEvidence());
    const table = screen.getByRole('table', { name: 'Analysis checks' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual([
      'Metric',
      'Template',
      'Accepted range',
      'Canary now',
      'Primary now',
      'Interval',
    ]);
    const success = checkRow('request-success-rate');
    expect(success[2]).toHaveTextContent('≥ 99 %');
    expect(success[3]).toHaveTextContent('99.91 %');
    expect(success[4]).toHaveTextContent('99.97 %');
    const value = success[3].querySelector('[data-verdict]')!;
    expect(value).toHaveAttribute('data-verdict', 'pass');
    expect(value).toHaveAttribute('title', 'Within the accepted range ≥ 99 %');
    expect(value).toHaveStyle({ color: '#388e3c' });
    const latency = checkRow('latency');
    expect(latency.map(c => c.textContent)).toEqual([
      'latency',
      expect.stringContaining('istio-system/latency'),
      '≤ 500 ms',
      '224 ms',
      '201 ms',
      '30s',
    ]);
  });

  it('colours a failing value red and a passing one green', async () => {
    await renderTab(paymentsStateWithEvidence());
    const success = checkRow('request-success-rate');
    expect(success[3]).toHaveTextContent('84.7 %');
    expect(success[4]).toHaveTextContent('99.6 %');
    const failing = success[3].querySelector('[data-verdict]')!;
    expect(failing).toHaveAttribute('data-verdict', 'fail');
    // The test app's theme: MUI's palette, error.main #f44336 (success.dark #388e3c).
    expect(failing).toHaveStyle({ color: '#f44336' });
    expect(failing).toHaveAttribute(
      'title',
      'Outside the accepted range ≥ 99 %',
    );
    expect(checkRow('latency')[3]).toHaveTextContent('2181 ms');
  });

  it('shows a fault on its check only, with its message; the rest of the tab stays', async () => {
    const evidence = podinfoEvidence();
    evidence.checks[1] = {
      ...evidence.checks[1],
      latest: undefined,
      points: [],
      fault: {
        kind: 'unreachable',
        message:
          'Prometheus at service proxy http://prometheus.istio-system:9090 in prod-eu-1 did not answer: connect ECONNREFUSED',
      },
    };
    await renderTab(podinfoStateWithEvidence(evidence));
    const latency = checkRow('latency');
    expect(latency).toHaveLength(5);
    expect(latency[3]).toHaveTextContent(
      'Prometheus unreachable: Prometheus at service proxy http://prometheus.istio-system:9090 in prod-eu-1 did not answer: connect ECONNREFUSED',
    );
    expect(latency[3]).toHaveAttribute('colspan', '2');
    expect(checkRow('request-success-rate')[3]).toHaveTextContent('99.91 %');
    expect(screen.getByTestId('canary-headline')).toHaveTextContent(
      'Rolling out revision podinfo:6.7.1 — 10% of traffic on the canary',
    );
    expect(chart('latency')).toHaveTextContent('No evaluation recorded yet.');
    expect(chart('latency')).toHaveTextContent('Prometheus unreachable');
    expect(chart('request-success-rate').querySelector('svg')).not.toBeNull();
  });

  it('keeps the table as it was when the backend measures nothing', async () => {
    await renderTab(podinfoState());
    const table = screen.getByRole('table', { name: 'Analysis checks' });
    expect(within(table).getAllByRole('columnheader')).toHaveLength(4);
    expect(
      screen.queryByRole('region', { name: 'Canary vs primary' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('navigation', { name: /^Dashboards of / }),
    ).not.toBeInTheDocument();
  });

  it('draws a chart per check: canary and primary lines, the accepted range, failed moments', async () => {
    await renderTab(paymentsStateWithEvidence());
    const charts = screen.getByRole('group', {
      name: 'Checks of tenant-b/payments over the rollout',
    });
    expect(within(charts).getAllByRole('figure')).toHaveLength(2);
    const success = chart('request-success-rate');
    expect(success).toHaveTextContent(
      'request-success-rateaccepted ≥ 99 % · now 84.7 % vs primary 99.6 % · 2 failed evaluations',
    );
    expect(success.querySelectorAll('.recharts-line')).toHaveLength(2);
    expect(
      success.querySelector('.recharts-reference-area.accepted-range'),
    ).not.toBeNull();
    expect(success.querySelectorAll('.recharts-reference-line')).toHaveLength(
      1,
    );
    expect(failedMarkers(success)).toHaveLength(2);
    // The value axis is in percent, the time axis in clock times.
    const ticks = [
      ...success.querySelectorAll(
        '.recharts-yAxis .recharts-cartesian-axis-tick-value',
      ),
    ].map(t => t.textContent);
    expect(ticks.length).toBeGreaterThan(1);
    for (const tick of ticks) {
      expect(tick).toMatch(/^\d+(\.\d+)? %$/);
    }
    expect(chart('latency')).toHaveTextContent('now 2181 ms vs primary 424 ms');
    expect(
      within(success).getByText('canary', {
        selector: '.recharts-legend-item-text',
      }),
    ).toBeInTheDocument();
  });

  it('redraws the charts as new points arrive over the live stream', async () => {
    const evidence = podinfoEvidence();
    const api = await renderTab(podinfoStateWithEvidence(evidence));
    expect(failedMarkers(chart('request-success-rate'))).toHaveLength(0);

    const next = podinfoEvidence();
    const success = next.checks[0];
    const point = {
      at: '2026-11-22T10:00:00Z',
      canaryWeight: 15,
      canary: 97.4,
      primary: 99.95,
      verdict: 'fail' as const,
    };
    success.points.push(point);
    success.latest = point;
    act(() => api.setEntityState(podinfoStateWithEvidence(next)));

    expect(chart('request-success-rate')).toHaveTextContent(
      'now 97.4 % vs primary 99.95 % · 1 failed evaluation',
    );
    expect(failedMarkers(chart('request-success-rate'))).toHaveLength(1);
    expect(checkRow('request-success-rate')[3]).toHaveTextContent('97.4 %');
  });

  it('links to Grafana and Kiali only when the cluster configures them', async () => {
    await renderTab(podinfoStateWithEvidence());
    const links = screen.getByRole('navigation', {
      name: 'Dashboards of tenant-a/podinfo',
    });
    const buttons = within(links).getAllByRole('link');
    expect(buttons.map(b => b.textContent)).toEqual([
      'Grafana dashboard',
      'Kiali graph',
    ]);
    expect(buttons[0]).toHaveAttribute(
      'href',
      'https://grafana.example.com/d/flagger-istio?var-namespace=tenant-a&var-primary=podinfo-primary&var-canary=podinfo',
    );
    expect(buttons[1]).toHaveAttribute('target', '_blank');
    expect(buttons[1]).toHaveAttribute('rel', 'noopener noreferrer');
  });

  it('names the check and value that failed the current canary', async () => {
    await renderTab(paymentsStateWithEvidence());
    expect(screen.getByTestId('failed-check')).toHaveTextContent(
      'rolled back at 10 %: request-success-rate 84.7 % < 99 %',
    );
  });
});

describe('analysis evidence on the canary card', () => {
  async function renderCard(name: string) {
    const api = new MockProgressiveDeliveryApi({
      entities: [paymentsStateWithEvidence(), podinfoStateWithEvidence()],
    });
    await renderInTestApp(
      <EntityProvider entity={component(name)}>
        <EntityCanaryStatusCard />
      </EntityProvider>,
      {
        apis: [[progressiveDeliveryApiRef, api]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    await screen.findByTestId('canary-headline');
  }

  it('names the check and value that failed the canary', async () => {
    await renderCard('payments');
    expect(screen.getByTestId('failed-check')).toHaveTextContent(
      'rolled back at 10 %: request-success-rate 84.7 % < 99 %',
    );
  });

  it('names no failure for a canary that is progressing', async () => {
    await renderCard('podinfo');
    expect(screen.queryByTestId('failed-check')).not.toBeInTheDocument();
  });
});

describe('ChartTooltip', () => {
  it('names the time, the step, both values and the verdict', () => {
    render(
      <ChartTooltip
        check={{ unit: 'percent' }}
        active
        payload={[
          {
            payload: {
              t: Date.parse('2026-11-22T09:58:30Z'),
              at: '2026-11-22T09:58:30Z',
              canary: 84.7,
              primary: 99.6,
              canaryWeight: 10,
              verdict: 'fail',
            },
          },
        ]}
      />,
    );
    expect(screen.getByText(/step 10 % on the canary$/)).toBeInTheDocument();
    expect(screen.getByText(/^canary 84.7 %/)).toHaveTextContent(
      'canary 84.7 % (fails)',
    );
    expect(screen.getByText('primary 99.6 %')).toBeInTheDocument();
  });

  it('shows nothing while no point is hovered', () => {
    const { container } = render(
      <ChartTooltip check={{ unit: 'percent' }} active={false} payload={[]} />,
    );
    expect(container).toBeEmptyDOMElement();
  });
});
