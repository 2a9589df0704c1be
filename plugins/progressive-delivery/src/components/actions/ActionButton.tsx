import { usePermission } from '@backstage/plugin-permission-react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  LinearProgress,
  makeStyles,
  Typography,
} from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';
import {
  ActionResponse,
  progressiveDeliveryEntityReadPermission,
} from '@internal/plugin-progressive-delivery-common';
import { ReactNode, useState } from 'react';
import {
  ResponseErrorText,
  describeResponseError,
} from '../../lib/responseError';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
  },
  root: {
    display: 'inline-flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
    maxWidth: theme.spacing(40),
  },
  outcome: { color: theme.palette.success.main, overflowWrap: 'anywhere' },
  progress: { marginTop: theme.spacing(2) },
  error: { marginTop: theme.spacing(2), whiteSpace: 'pre-wrap' },
}));

/** Action buttons side by side, wrapping on narrow screens. */
export function ActionRow(props: { children: ReactNode }) {
  const classes = useStyles();
  return <div className={classes.row}>{props.children}</div>;
}

type Run =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'failed'; error: ResponseErrorText };

/**
 * A button for one cluster action, shown only to users who hold its permission on the entity.
 * It asks for confirmation, shows progress, and then the outcome: the backend's message under
 * the button, or its refusal in the dialog. The live stream shows the effect.
 */
export function ActionButton(props: {
  label: string;
  /** One of the plugin's resource permissions on the catalog entity. */
  permission: typeof progressiveDeliveryEntityReadPermission;
  entityRef: string;
  /** What exactly will happen, for the confirmation dialog. */
  confirm: { title: string; text: string };
  run: () => Promise<ActionResponse>;
  /** Called after the action succeeded. */
  onDone?: (response: ActionResponse) => void;
  primary?: boolean;
}) {
  const { label, permission, entityRef, confirm, run, onDone, primary } = props;
  const classes = useStyles();
  // Only one dialog is open (mounted) at a time, so the label makes the id unique enough.
  const titleId = `action-${label.replace(/\W+/g, '-')}-title`;
  const { allowed } = usePermission({ permission, resourceRef: entityRef });
  const [open, setOpen] = useState(false);
  const [progress, setProgress] = useState<Run>({ state: 'idle' });
  const [outcome, setOutcome] = useState<string>();

  if (!allowed) {
    return null;
  }
  const running = progress.state === 'running';

  const submit = async () => {
    setProgress({ state: 'running' });
    try {
      const response = await run();
      setOutcome(response.message);
      setProgress({ state: 'idle' });
      setOpen(false);
      onDone?.(response);
    } catch (error) {
      setProgress({ state: 'failed', error: describeResponseError(error) });
    }
  };
  const close = () => {
    if (!running) {
      setOpen(false);
      setProgress({ state: 'idle' });
    }
  };

  return (
    <span className={classes.root}>
      <Button
        size="small"
        variant={primary ? 'contained' : 'outlined'}
        color={primary ? 'primary' : 'default'}
        disabled={running}
        onClick={() => {
          setOutcome(undefined);
          setOpen(true);
        }}
      >
        {label}
      </Button>
      {outcome && (
        <Typography variant="caption" role="status" className={classes.outcome}>
          {outcome}
        </Typography>
      )}
      <Dialog open={open} onClose={close} aria-labelledby={titleId}>
        <DialogTitle id={titleId}>{confirm.title}</DialogTitle>
        <DialogContent>
          <DialogContentText>{confirm.text}</DialogContentText>
          {running && (
            <LinearProgress
              className={classes.progress}
              aria-label={`${label} in progress`}
            />
          )}
          {progress.state === 'failed' && (
            <Alert severity="error" className={classes.error}>
              <AlertTitle>{progress.error.title}</AlertTitle>
              {progress.error.message}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={running}>
            {progress.state === 'failed' ? 'Close' : 'Cancel'}
          </Button>
          <Button
            color="primary"
            variant="contained"
            disabled={running}
            onClick={submit}
          >
            {progress.state === 'failed' ? 'Try again' : label}
          </Button>
        </DialogActions>
      </Dialog>
    </span>
  );
}
