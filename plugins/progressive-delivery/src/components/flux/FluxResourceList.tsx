import { List, ListItem, ListItemText } from '@material-ui/core';
import { FluxResource } from '@progressive-delivery/plugin-progressive-delivery-common';
import { FluxActions } from '../actions/FluxActions';
import { FluxObjectDetails } from './FluxObjectDetails';

/** Flux objects with their readiness. */
export function FluxResourceList(props: {
  label: string;
  resources: FluxResource[];
  /** The entity acted for: shows the Flux actions per object. */
  entityRef?: string;
}) {
  const { label, resources, entityRef } = props;
  return (
    <List dense disablePadding aria-label={label}>
      {resources.map(resource => (
        <ListItem
          key={`${resource.ref.cluster}/${resource.ref.kind}/${resource.ref.namespace}/${resource.ref.name}`}
          disableGutters
          divider
        >
          <ListItemText
            disableTypography
            primary={
              <strong>
                {resource.ref.kind} {resource.ref.namespace}/{resource.ref.name}
              </strong>
            }
            secondary={<FluxObjectDetails resource={resource} />}
          />
          {entityRef && (
            <FluxActions resource={resource} entityRef={entityRef} />
          )}
        </ListItem>
      ))}
    </List>
  );
}
