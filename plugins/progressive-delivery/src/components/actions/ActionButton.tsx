import { usePermission } from '@backstage/plugin-permission-react';
import { Button, makeStyles, Typography } from '@material-ui/core';
import {
  ActionResponse,
  progressiveDeliveryEntityReadPermission,
} from '@internal/plugin-progressive-delivery-common';
import { ReactNode, useState } from 'react';
import { describeResponseError } from '../../lib/responseError';
import { ActionProgress, ConfirmActionDialog } from './ConfirmActionDialog';

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
}));

/** Action buttons side by side, wrapping on narrow screens. */
export function ActionRow(props: { children: ReactNode }) {
  const classes = useStyles();
  return <div className={classes.row}>{props.children}</div>;
}

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
  const { allowed } = usePermission({ permission, resourceRef: entityRef });
  const [open, setOpen] = useState(false);
  const [progress, setProgress] = useState<ActionProgress>({ state: 'idle' });
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
      <ConfirmActionDialog
        open={open}
        label={label}
        confirm={confirm}
        progress={progress}
        onClose={close}
        onConfirm={submit}
      />
    </span>
  );
}
