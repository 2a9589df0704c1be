import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import CallSplitIcon from '@material-ui/icons/CallSplit';
import { progressiveDeliveryApiRef } from './api/ProgressiveDeliveryApi';
import { ProgressiveDeliveryClient } from './api/ProgressiveDeliveryClient';
import {
  isProgressiveDeliveryAvailable,
  showsDeliveryTab,
} from './lib/availability';

const rootRouteRef = createRouteRef();

/** The client of the backend API. */
const progressiveDeliveryApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: progressiveDeliveryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ProgressiveDeliveryClient({ discoveryApi, fetchApi }),
    }),
});

/** The fleet page at `/progressive-delivery`; its title and icon make the nav item. */
const progressiveDeliveryPage = PageBlueprint.make({
  params: {
    path: '/progressive-delivery',
    // The nav item's text: short enough for the sidebar.
    title: 'Delivery fleet',
    icon: <CallSplitIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/fleet/FleetPage').then(m => (
        <m.ProgressiveDeliveryPage />
      )),
  },
});

/** The Delivery tab of annotated entities and of Components (which learn how to annotate). */
const entityDeliveryContent = EntityContentBlueprint.make({
  name: 'delivery',
  params: {
    path: '/delivery',
    title: 'Delivery',
    filter: showsDeliveryTab,
    loader: () =>
      import('./components/entity/EntityDeliveryContent').then(m => (
        <m.EntityProgressiveDeliveryContent />
      )),
  },
});

const entityCanaryStatusCard = EntityCardBlueprint.make({
  name: 'canary-status',
  params: {
    // Next to "About": the first thing an owner sees on the overview.
    type: 'info',
    filter: isProgressiveDeliveryAvailable,
    loader: () =>
      import('./components/cards/EntityCanaryStatusCard').then(m => (
        <m.EntityCanaryStatusCard />
      )),
  },
});

const entityFluxSyncCard = EntityCardBlueprint.make({
  name: 'flux-sync',
  params: {
    type: 'info',
    filter: isProgressiveDeliveryAvailable,
    loader: () =>
      import('./components/cards/EntityFluxSyncCard').then(m => (
        <m.EntityFluxSyncCard />
      )),
  },
});

/**
 * The scaffolder field `ui:field: ProgressiveDeliveryClusterPicker`; it attaches to the
 * scaffolder's form fields, so an app with the scaffolder has it without code.
 */
const clusterPickerFormField = FormFieldBlueprint.make({
  name: 'cluster-picker',
  params: {
    field: () =>
      import('./components/scaffolder/clusterPickerFormField').then(
        m => m.clusterPickerFormField,
      ),
  },
});

/**
 * Progressive Delivery for the new frontend system: the API, the entity Delivery tab, the
 * overview cards, the fleet page and the scaffolder's cluster picker field.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'progressive-delivery',
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [
    progressiveDeliveryApi,
    progressiveDeliveryPage,
    entityDeliveryContent,
    entityCanaryStatusCard,
    entityFluxSyncCard,
    clusterPickerFormField,
  ],
});
