import { getCompoundEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { RESOLVING_ANNOTATIONS } from '@progressive-delivery/plugin-progressive-delivery-common';
import { ReactNode } from 'react';
import {
  EntityDeliveryStateResult,
  useEntityDeliveryState,
} from '../../hooks/useEntityDeliveryState';
import { isProgressiveDeliveryAvailable } from '../../lib/availability';

function LiveState(props: {
  children: (
    result: Required<Pick<EntityDeliveryStateResult, 'state'>> &
      EntityDeliveryStateResult,
  ) => ReactNode;
}) {
  const { entity } = useEntity();
  const result = useEntityDeliveryState(getCompoundEntityRef(entity));
  const { state, error } = result;
  if (!state) {
    return error ? <ResponseErrorPanel error={error} /> : <Progress />;
  }
  if (state.explanation?.reason === 'noAnnotations') {
    return (
      <MissingAnnotationEmptyState annotation={[...RESOLVING_ANNOTATIONS]} />
    );
  }
  return <>{props.children({ ...result, state })}</>;
}

/**
 * Renders its children with the current entity's live delivery state; before that, the
 * annotations to add, a spinner or the error.
 */
export function EntityDeliveryStateGuard(props: {
  children: (
    result: Required<Pick<EntityDeliveryStateResult, 'state'>> &
      EntityDeliveryStateResult,
  ) => ReactNode;
}) {
  const { entity } = useEntity();
  if (!isProgressiveDeliveryAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState annotation={[...RESOLVING_ANNOTATIONS]} />
    );
  }
  return <LiveState>{props.children}</LiveState>;
}
