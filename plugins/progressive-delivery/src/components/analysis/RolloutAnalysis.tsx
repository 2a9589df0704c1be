import { parseEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { LinearProgress, makeStyles, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { RolloutRecord } from '@progressive-delivery/plugin-progressive-delivery-common';
import useAsync from 'react-use/esm/useAsync';
import { progressiveDeliveryApiRef } from '../../api/ProgressiveDeliveryApi';
import { describeResponseError } from '../../lib/responseError';
import { AnalysisCharts } from './AnalysisCharts';

const useStyles = makeStyles(theme => ({
  root: { marginBottom: theme.spacing(2) },
  title: { marginBottom: theme.spacing(1) },
}));

/**
 * What each check of one recorded rollout measured, as charts. Mounted when its history row is
 * opened, so the rollout's analysis is fetched only then.
 */
export function RolloutAnalysis(props: {
  record: RolloutRecord;
  /** The entity whose history shows the rollout. */
  entityRef: string;
}) {
  const { record, entityRef } = props;
  const classes = useStyles();
  const api = useApi(progressiveDeliveryApiRef);
  const name = `${record.cluster} ${record.namespace}/${record.canary}`;
  const { value, loading, error } = useAsync(
    () => api.getRolloutAnalysis(parseEntityRef(entityRef), record.id),
    [api, entityRef, record.id],
  );
  return (
    <section
      className={classes.root}
      aria-label={`Analysis of the rollout of ${record.revision} in ${name}`}
    >
      <Typography variant="subtitle2" component="h4" className={classes.title}>
        Analysis: canary vs primary
      </Typography>
      {loading && (
        <LinearProgress
          aria-label={`Loading the analysis of the rollout of ${record.revision}`}
        />
      )}
      {error && (
        <Alert severity="warning">
          The analysis cannot be loaded: {describeResponseError(error).message}
        </Alert>
      )}
      {value && (
        <AnalysisCharts
          checks={value.checks}
          label={`Checks of the rollout of ${record.revision} in ${name}`}
          emptyText="No measurements were recorded for this rollout."
        />
      )}
    </section>
  );
}
