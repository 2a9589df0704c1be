import { component } from '../__fixtures__/entities';
import {
  isProgressiveDeliveryAvailable,
  showsDeliveryTab,
} from './availability';

describe('availability', () => {
  it.each([
    ['backstage.io/kubernetes-id', 'podinfo'],
    ['backstage.io/kubernetes-label-selector', 'app=podinfo'],
    ['progressive-delivery/canary', 'tenant-a/podinfo'],
  ])('is available with %s', (key, value) => {
    expect(
      isProgressiveDeliveryAvailable(component('x', { [key]: value })),
    ).toBe(true);
  });

  it('is not available with only the tenant annotation or an empty value', () => {
    expect(
      isProgressiveDeliveryAvailable(
        component('x', {
          'progressive-delivery/tenant': 'tenant-a',
          'backstage.io/kubernetes-id': '',
        }),
      ),
    ).toBe(false);
  });

  it('shows the tab on every Component, and on other kinds only when annotated', () => {
    expect(showsDeliveryTab(component('legacy-batch', {}))).toBe(true);
    const system = { ...component('tenant-a', {}), kind: 'System' };
    expect(showsDeliveryTab(system)).toBe(false);
    system.metadata.annotations = { 'backstage.io/kubernetes-id': 'a' };
    expect(showsDeliveryTab(system)).toBe(true);
  });
});
