import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  LinearProgress,
  makeStyles,
} from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';
import { ResponseErrorText } from '../../lib/responseError';

const useStyles = makeStyles(theme => ({
  progress: { marginTop: theme.spacing(2) },
  error: { marginTop: theme.spacing(2), whiteSpace: 'pre-wrap' },
}));

/** Where a confirmed action is: not started, waiting for the backend, or refused. */
export type ActionProgress =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'failed'; error: ResponseErrorText };

/**
 * Asks to confirm an action with a sentence saying exactly what will happen, shows progress
 * while the backend works, and its refusal in its own words, with a way to try again.
 */
export function ConfirmActionDialog(props: {
  open: boolean;
  label: string;
  confirm: { title: string; text: string };
  progress: ActionProgress;
  onClose: () => void;
  onConfirm: () => void;
}) {
  const { open, label, confirm, progress, onClose, onConfirm } = props;
  const classes = useStyles();
  // Only one dialog is open (mounted) at a time, so the label makes the id unique enough.
  const titleId = `action-${label.replace(/\W+/g, '-')}-title`;
  const running = progress.state === 'running';
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId}>
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
        <Button onClick={onClose} disabled={running}>
          {progress.state === 'failed' ? 'Close' : 'Cancel'}
        </Button>
        <Button
          color="primary"
          variant="contained"
          disabled={running}
          onClick={onConfirm}
        >
          {progress.state === 'failed' ? 'Try again' : label}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
