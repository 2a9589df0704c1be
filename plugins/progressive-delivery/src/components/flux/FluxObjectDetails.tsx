import { makeStyles, Typography } from '@material-ui/core';
import { FluxResource } from '@progressive-delivery/plugin-progressive-delivery-common';
import { formatTime, shortRevision } from '../../lib/format';
import { FluxStatus } from '../common/status';

const useStyles = makeStyles(theme => ({
  line: { overflowWrap: 'anywhere' },
  failure: { color: theme.palette.error.main, overflowWrap: 'anywhere' },
}));

/** Kinds that fetch artifacts: their revision is what they fetched, not what they applied. */
const SOURCE_KINDS = new Set([
  'GitRepository',
  'OCIRepository',
  'Bucket',
  'HelmRepository',
  'HelmChart',
  'ExternalArtifact',
]);

/** Readiness, revisions and the failing health check of one Flux object. */
export function FluxObjectDetails(props: { resource: FluxResource }) {
  const { resource } = props;
  const { readiness } = resource;
  const classes = useStyles();
  const isSource =
    SOURCE_KINDS.has(resource.ref.kind) || resource.url !== undefined;
  return (
    <>
      <FluxStatus readiness={readiness} />
      {resource.url && (
        <Typography variant="body2" className={classes.line}>
          {resource.url}
        </Typography>
      )}
      {readiness.appliedRevision && (
        <Typography variant="body2" className={classes.line}>
          {isSource ? 'Revision' : 'Applied'}{' '}
          <code title={readiness.appliedRevision}>
            {shortRevision(readiness.appliedRevision)}
          </code>
        </Typography>
      )}
      {readiness.originRevision && (
        <Typography variant="body2" className={classes.line}>
          Git commit{' '}
          <code title={readiness.originRevision}>
            {shortRevision(readiness.originRevision)}
          </code>
        </Typography>
      )}
      {readiness.revisionPending && readiness.attemptedRevision && (
        <Typography variant="body2" className={classes.line}>
          Attempted{' '}
          <code title={readiness.attemptedRevision}>
            {shortRevision(readiness.attemptedRevision)}
          </code>{' '}
          (not applied)
        </Typography>
      )}
      {readiness.healthy && (
        <Typography variant="body2">Healthy: {readiness.healthy}</Typography>
      )}
      {readiness.healthCheckFailure && (
        <Typography variant="body2" className={classes.failure}>
          Health check: {readiness.healthCheckFailure}
        </Typography>
      )}
      {!readiness.healthCheckFailure &&
        readiness.status !== 'ready' &&
        readiness.readyMessage && (
          <Typography variant="body2" className={classes.failure}>
            {readiness.readyMessage}
          </Typography>
        )}
      {readiness.stalled && readiness.stalledMessage && (
        <Typography variant="body2" className={classes.failure}>
          Stalled: {readiness.stalledMessage}
        </Typography>
      )}
      {readiness.suspended && (
        <Typography variant="body2">
          Suspended: Flux does not reconcile it
        </Typography>
      )}
      {readiness.lastReconciledAt && (
        <Typography variant="caption" color="textSecondary">
          Last reconciled {formatTime(readiness.lastReconciledAt)}
        </Typography>
      )}
    </>
  );
}
