import { renderInTestApp, renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { useApi } from '@backstage/frontend-plugin-api';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { formFieldsApiRef } from '@backstage/plugin-scaffolder-react/alpha';
import { screen } from '@testing-library/react';
import useAsync from 'react-use/esm/useAsync';
import plugin from './alpha';
import { MockProgressiveDeliveryApi } from './api/MockProgressiveDeliveryApi';
import { progressiveDeliveryApiRef } from './api/ProgressiveDeliveryApi';
import { fleetCanaries } from './__fixtures__/deliveryStates';

describe('new frontend system plugin', () => {
  it('declares the API, page, entity content, cards and the scaffolder field', () => {
    expect(plugin.id).toBe('progressive-delivery');
    for (const id of [
      'api:progressive-delivery',
      'page:progressive-delivery',
      'entity-content:progressive-delivery/delivery',
      'entity-card:progressive-delivery/canary-status',
      'entity-card:progressive-delivery/flux-sync',
      // Attaches to api:scaffolder/form-fields: the template's cluster picker.
      'scaffolder-form-field:progressive-delivery/cluster-picker',
    ]) {
      expect(plugin.getExtension(id as never)).toBeDefined();
    }
  });

  it('serves the fleet page at /progressive-delivery', async () => {
    renderTestApp({
      features: [plugin],
      initialRouteEntries: ['/progressive-delivery'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [
          progressiveDeliveryApiRef,
          new MockProgressiveDeliveryApi({ canaries: fleetCanaries() }),
        ],
        catalogApiMock(),
      ],
    });
    expect(await screen.findByText('Canaries (4 of 4)')).toBeInTheDocument();
  });

  it("gives the scaffolder's form the cluster picker, with no app code", async () => {
    // What the scaffolder's template page renders its fields from.
    function FormFieldNames() {
      const formFields = useApi(formFieldsApiRef);
      const { value } = useAsync(() => formFields.loadFormFields(), []);
      const names = (value ?? []).map(f => (f as { name?: string }).name);
      return <div>{value ? `Fields: ${names.join(', ')}` : 'loading'}</div>;
    }
    await renderInTestApp(<FormFieldNames />, {
      features: [scaffolderPlugin, plugin],
    });
    expect(await screen.findByText(/^Fields: /)).toHaveTextContent(
      'ProgressiveDeliveryClusterPicker',
    );
  });
});
