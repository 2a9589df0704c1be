import { Entity } from '@backstage/catalog-model';
import { ownerRefsOf } from './owners';

const component = (extra: Partial<Entity> = {}, owner?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'podinfo', namespace: 'payments' },
  spec: { type: 'service', ...(owner ? { owner } : {}) },
  ...extra,
});

describe('ownerRefsOf', () => {
  it("takes the catalog's ownedBy relations", () => {
    expect(
      ownerRefsOf(
        component(
          {
            relations: [
              { type: 'ownedBy', targetRef: 'group:default/team-b' },
              { type: 'partOf', targetRef: 'system:default/shop' },
              { type: 'ownedBy', targetRef: 'group:default/team-a' },
              { type: 'ownedBy', targetRef: 'group:default/team-a' },
            ],
          },
          'team-x',
        ),
      ),
    ).toEqual(['group:default/team-a', 'group:default/team-b']);
  });

  it('reads spec.owner as the catalog does when there are no relations', () => {
    expect(ownerRefsOf(component({}, 'team-a'))).toEqual([
      'group:payments/team-a',
    ]);
    expect(ownerRefsOf(component({}, 'user:default/jane'))).toEqual([
      'user:default/jane',
    ]);
    expect(ownerRefsOf(component())).toEqual([]);
  });
});
