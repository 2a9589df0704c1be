import { makeStyles, Typography } from '@material-ui/core';
import { RolloutRecord } from '@progressive-delivery/plugin-progressive-delivery-common';
import { RolloutChangesView } from './RolloutChangesView';

const useStyles = makeStyles(theme => ({
  root: { marginBottom: theme.spacing(2) },
  title: { marginBottom: theme.spacing(1) },
}));

/** What a recorded rollout changed, in its opened history row; nothing when none was recorded. */
export function RecordedChanges(props: { record: RolloutRecord }) {
  const { record } = props;
  const classes = useStyles();
  if (!record.changes) {
    return null;
  }
  const name = `${record.cluster} ${record.namespace}/${record.canary}`;
  return (
    <section
      className={classes.root}
      aria-label={`What the rollout of ${record.revision} in ${name} changed`}
    >
      <Typography variant="subtitle2" component="h4" className={classes.title}>
        What changed
      </Typography>
      <RolloutChangesView
        changes={record.changes}
        label={`Changes of the rollout of ${record.revision}`}
      />
    </section>
  );
}
