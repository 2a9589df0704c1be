import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Checkbox,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  makeStyles,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { ClusterStatus } from '@progressive-delivery/plugin-progressive-delivery-common';
import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { progressiveDeliveryApiRef } from '../../api/ProgressiveDeliveryApi';
import { ClusterState } from '../common/status';

const useStyles = makeStyles(theme => ({
  label: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    columnGap: theme.spacing(2),
  },
}));

/** A cluster's checkbox label: its name, the watchers' state and the first problem. */
function ClusterLabel(props: { cluster?: ClusterStatus; name: string }) {
  const { cluster, name } = props;
  const classes = useStyles();
  return (
    <span className={classes.label}>
      <Typography component="span">{name}</Typography>
      {cluster ? (
        <Typography component="span" variant="body2">
          <ClusterState state={cluster.state} />
        </Typography>
      ) : (
        <Typography component="span" variant="body2" color="error">
          not a cluster of the Progressive Delivery backend
        </Typography>
      )}
      {cluster?.errors[0] && (
        <Typography component="span" variant="caption" color="textSecondary">
          {cluster.errors[0].message}
        </Typography>
      )}
    </span>
  );
}

/**
 * `ui:field: ProgressiveDeliveryClusterPicker`: a checkbox per cluster the Progressive Delivery
 * backend has (`GET /v1/clusters`), with its state, for an array of cluster names. A chosen
 * name the backend does not have (e.g. from the URL) stays listed, marked, to be unchecked;
 * the field's validation refuses it.
 */
/** The names in a field value, without the empty entries the form adds for `minItems`. */
export function chosenNames(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter(
        (name): name is string => typeof name === 'string' && name !== '',
      )
    : [];
}

export function ClusterPicker(props: FieldExtensionComponentProps<string[]>) {
  const { formData, onChange, schema, rawErrors, required, disabled } = props;
  const api = useApi(progressiveDeliveryApiRef);
  const {
    value: clusters,
    loading,
    error,
  } = useAsync(async () => (await api.listClusters()).items, [api]);
  // The form fills an array with `minItems` with empty entries: they are no choice.
  const chosen = chosenNames(formData);
  const hasEmptyEntries =
    Array.isArray(formData) && chosen.length !== formData.length;
  useEffect(() => {
    // Left in, an empty entry reads as a chosen cluster ("'Clusters 0' must be string").
    if (hasEmptyEntries) {
      onChange(chosen);
    }
  });
  const title = schema.title ?? 'Clusters';

  if (loading) {
    return <Progress />;
  }
  if (error || !clusters) {
    return (
      <Alert severity="error">
        Could not list the clusters of the Progressive Delivery backend:{' '}
        {error?.message}
      </Alert>
    );
  }
  const known = new Set(clusters.map(c => c.name));
  const options: Array<{ name: string; cluster?: ClusterStatus }> = [
    ...clusters.map(cluster => ({ name: cluster.name, cluster })),
    ...chosen.filter(name => !known.has(name)).map(name => ({ name })),
  ];
  const toggle = (name: string, checked: boolean) =>
    onChange(
      checked ? [...chosen, name] : chosen.filter(other => other !== name),
    );

  return (
    <FormControl
      component="fieldset"
      required={required}
      error={(rawErrors?.length ?? 0) > 0}
      disabled={disabled}
      margin="normal"
    >
      <FormLabel component="legend">{title}</FormLabel>
      {options.length === 0 ? (
        <Alert severity="warning">
          The Progressive Delivery backend has no clusters: check the Kubernetes
          plugin's cluster locators (kubernetes.clusterLocatorMethods) and the
          plugin's progressiveDelivery section.
        </Alert>
      ) : (
        <FormGroup>
          {options.map(({ name, cluster }) => (
            <FormControlLabel
              key={name}
              control={
                <Checkbox
                  checked={chosen.includes(name)}
                  onChange={event => toggle(name, event.target.checked)}
                  name={name}
                />
              }
              label={<ClusterLabel name={name} cluster={cluster} />}
            />
          ))}
        </FormGroup>
      )}
      {schema.description && (
        <FormHelperText>{schema.description}</FormHelperText>
      )}
    </FormControl>
  );
}
