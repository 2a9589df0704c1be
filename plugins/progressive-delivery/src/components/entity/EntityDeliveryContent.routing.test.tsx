// The Delivery tab over the states of the common package's upstream fixtures: each test checks
// the reading that file's header calls right, and fails when the tab tells the wrong story.
import { screen, within } from '@testing-library/react';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { MockProgressiveDeliveryApi } from '../../api/MockProgressiveDeliveryApi';
import { renderDeliveryTab } from '../../__testUtils__/renderDeliveryTab';
import { component } from '../../__fixtures__/entities';
import {
  abTestingState,
  analysisRefsState,
  blueGreenLastIterationState,
  daemonSetState,
  failedPromotionState,
  fluxSourcesState,
  gatewayApiState,
  istioPoliciesState,
  mirroringState,
  nginxState,
  sessionAffinityState,
  tcpRouteState,
} from '../../__fixtures__/deliveryStates';

async function renderState(state: EntityDeliveryState) {
  const api = new MockProgressiveDeliveryApi({ entities: [state] });
  const name = state.entityRef.split('/')[1];
  await renderDeliveryTab(component(name), api);
  return screen.findByTestId('canary-headline');
}

function trafficReading() {
  return screen.getByTestId('traffic-reading');
}

describe('the Delivery tab reads each routing mode right', () => {
  it('reads a Gateway API canary from its HTTPRoute', async () => {
    const headline = await renderState(gatewayApiState());
    expect(headline).toHaveTextContent('20% of traffic on the canary');
    expect(
      screen.getByRole('img', {
        name: 'Traffic split: primary 80%, canary 20%',
      }),
    ).toBeInTheDocument();
    expect(trafficReading()).toHaveTextContent(
      'Read from HTTPRoute test/podinfo.',
    );
    expect(
      screen.getByRole('heading', { name: 'HTTPRoute test/podinfo' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/attached to istio-ingress\/gateway/),
    ).toBeVisible();
    const chain = screen.getByRole('list', { name: 'Delivery chain' });
    expect(within(chain).getByText('HTTPRoute podinfo')).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'HTTPRoute routes' }),
    ).toHaveTextContent('#1all requestspodinfo-primaryprimary80%');
    expect(
      screen.getByRole('table', { name: 'HTTPRoute routes' }),
    ).toHaveTextContent('podinfo-canarycanary20%');
  });

  it('names the A/B condition and keeps all other traffic on the primary, not a 0/100 bar', async () => {
    const headline = await renderState(abTestingState());
    expect(headline).toHaveTextContent(
      'iteration 4 of 10, requests with header x-canary = insider go to the canary (all other traffic stays on the primary)',
    );
    expect(trafficReading()).toHaveTextContent(
      'A/B test: requests with header x-canary = insider go to the canary; all other traffic stays on the primary.',
    );
    const bar = screen.getByTestId('traffic-split');
    expect(bar).toHaveAccessibleName(
      expect.stringContaining('Default route: primary 100%, canary 0%'),
    );
    expect(headline).not.toHaveTextContent('0% of traffic');
    expect(headline).not.toHaveTextContent('all traffic on the canary');
    const chain = screen.getByRole('list', { name: 'Delivery chain' });
    expect(
      within(chain).getByText(
        'A/B: requests with header x-canary = insider → canary; all other → primary',
      ),
    ).toBeInTheDocument();
    const routes = screen.getByRole('table', { name: 'HTTPRoute routes' });
    expect(routes).toHaveTextContent('header x-canary = insider');
    expect(routes).toHaveTextContent('all other requests');
  });

  it('takes session-affinity weights from the weighted route and names the sticky cookie', async () => {
    const headline = await renderState(sessionAffinityState());
    expect(headline).toHaveTextContent(
      '10% of traffic on the canary, requests carrying cookie canary-flagger-cookie stay on the canary',
    );
    expect(
      screen.getByRole('img', {
        name: 'Traffic split: primary 90%, canary 10%',
      }),
    ).toBeInTheDocument();
    expect(trafficReading()).toHaveTextContent(
      'Session affinity: requests carrying cookie canary-flagger-cookie stay on the canary.',
    );
    expect(screen.getAllByText(/\(sticky session\)/).length).toBe(2);
  });

  it('says live traffic is mirrored while the split stays on the primary', async () => {
    const headline = await renderState(mirroringState());
    expect(headline).toHaveTextContent(
      'iteration 3 of 10, live traffic mirrored to the canary (100% of requests copied), the live split stays on the primary',
    );
    expect(headline).not.toHaveTextContent('tested without user traffic');
    expect(trafficReading()).toHaveTextContent(
      'Live traffic is mirrored to the canary (100% of requests copied)',
    );
    expect(
      screen.getByRole('table', { name: 'VirtualService routes' }),
    ).toHaveTextContent('mirrors 100% to podinfo-canary');
  });

  it('shows blue/green after its last iteration as N of N with all traffic on the canary', async () => {
    const headline = await renderState(blueGreenLastIterationState());
    expect(headline).toHaveTextContent(
      'iteration 5 of 5, all traffic on the canary',
    );
    expect(headline).not.toHaveTextContent('6 of 5');
    expect(
      screen.getByRole('img', {
        name: 'Traffic split: primary 0%, canary 100%',
      }),
    ).toBeInTheDocument();
  });

  it('never says the primary serves all traffic after a failed promotion', async () => {
    const headline = await renderState(failedPromotionState());
    expect(headline).toHaveTextContent(
      'Promotion of revision 6b8d9f7c5f failed — the canary serves all traffic; the primary is not ready',
    );
    expect(headline).not.toHaveTextContent('primary serves all traffic');
    expect(headline).not.toHaveTextContent('rolled back');
  });

  it('says the split of another provider is read from the canary status', async () => {
    const headline = await renderState(nginxState());
    expect(headline).toHaveTextContent('20% of traffic on the canary');
    expect(trafficReading()).toHaveTextContent(
      "Split read from the canary's status (status.canaryWeight): the routing objects of provider nginx are not read.",
    );
    expect(
      screen.getByText(
        "Provider nginx: its routing objects are not read; the split comes from the canary's status.",
      ),
    ).toBeInTheDocument();
  });

  it('shows a DaemonSet target without a split its provider does not make', async () => {
    const headline = await renderState(daemonSetState());
    expect(headline).toHaveTextContent(
      'Rolling out revision podinfo:6.0.1 — iteration 2 of 5, tested without user traffic',
    );
    expect(screen.queryByTestId('traffic-split')).not.toBeInTheDocument();
    expect(trafficReading()).toHaveTextContent(
      'Provider kubernetes has no traffic-splitting router',
    );
    const chain = screen.getByRole('list', { name: 'Delivery chain' });
    expect(
      within(chain).getByText('Target DaemonSet podinfo-ds (3/3 ready)'),
    ).toBeInTheDocument();
  });

  it('reads a TCP route', async () => {
    await renderState(tcpRouteState());
    const routes = screen.getByRole('table', { name: 'VirtualService routes' });
    expect(routes).toHaveTextContent('#1 (TCP)');
    expect(routes).toHaveTextContent('tcp-service-canarycanary20%');
  });
});

describe('the Delivery tab shows what the canary references and the mesh applies', () => {
  it('shows metric checks with their MetricTemplate and alerts with their AlertProvider', async () => {
    await renderState(analysisRefsState());
    const checks = screen.getByRole('table', { name: 'Analysis checks' });
    const row = (name: string) =>
      within(checks).getByText(name).closest('tr') as HTMLElement;
    expect(row('404s percentage')).toHaveTextContent(
      'istio-system/not-found-percentageprometheus · http://prometheus.istio-system:9090',
    );
    expect(
      within(checks).getByLabelText(
        'Query of istio-system/not-found-percentage',
      ),
    ).toHaveTextContent('response_code!="404"');
    expect(row('404s (canary namespace)')).toHaveTextContent(
      'template not found',
    );
    expect(row('request-success-rate')).toHaveTextContent('built-in');

    const alerts = screen.getByRole('table', { name: 'Alerts' });
    const alert = (name: string) =>
      within(alerts).getByText(name).closest('tr') as HTMLElement;
    expect(alert('on-call Slack')).toHaveTextContent(
      'errorflagger/on-callslack #on-call-alerts as flagger',
    );
    expect(alert('qa Discord')).toHaveTextContent('provider not found');
    expect(alert('dev MS Teams')).toHaveTextContent('msteams');
  });

  it('flags DestinationRule TLS conflicts, plain-text ports and root-namespace policies', async () => {
    await renderState(istioPoliciesState());
    expect(
      screen.getByText(
        /DestinationRule test\/podinfo-simple-tls sets tls.mode SIMPLE: it originates TLS without a client certificate/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('except port 9797: DISABLE — plain text only'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/podinfo-simple-tls \(TLS SIMPLE\)/),
    ).toBeInTheDocument();
    const policies = screen.getByRole('list', { name: 'Istio policies' });
    expect(
      within(policies).getByText(
        'DENY, 1 rule (root namespace: applies across the mesh)',
      ),
    ).toBeInTheDocument();
  });

  it('shows the HelmChart a release installs from and the Git commit behind an OCI digest', async () => {
    await renderState(fluxSourcesState());
    const chain = screen.getByRole('list', { name: 'Delivery chain' });
    const kinds = within(chain)
      .getAllByRole('listitem')
      .map(item => item.textContent ?? '');
    expect(kinds[0]).toMatch(/^HelmRepositorydefault\/podinfo/);
    expect(kinds[1]).toMatch(/^→HelmChartdefault\/podinfoReady/);
    expect(kinds[1]).toContain('Revision 5.2.1');
    expect(kinds[2]).toMatch(/^→HelmReleasedefault\/podinfo/);

    const others = screen.getByRole('list', {
      name: 'Flux objects in prod-eu-1',
    });
    const app = within(others)
      .getByText('Kustomization flux-system/app')
      .closest('li') as HTMLElement;
    expect(app).toHaveTextContent('Applied 8d6a0b3@b7e5a3c');
    expect(app).toHaveTextContent('Git commit main@8d6a0b3');
    expect(
      within(others).getByText('Bucket default/minio-bucket'),
    ).toBeInTheDocument();
    const artifact = within(others)
      .getByText('ExternalArtifact flux-system/my-artifact')
      .closest('li') as HTMLElement;
    expect(artifact).toHaveTextContent('Revision v1.0.0@35d47c9');
  });
});
