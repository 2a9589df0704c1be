import { usePermission } from '@backstage/plugin-permission-react';
import { Button, makeStyles, Typography } from '@material-ui/core';
import {
  ActionResponse,
  progressiveDeliveryEntityReadPermission,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { ReactNode, useState } from 'react';
import { describeResponseError } from '../../lib/responseError';
import { ActionProgress, ConfirmActionDialog } from './ConfirmActionDialog';
import {
  isOutcomeUnknown,
  OutcomeUnknownHold,
  outcomeUnknownMessage,
  useOutcomeUnknownHold,
} from './outcomeUnknown';

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
  unknown: {
    color: theme.palette.warning.dark,
    overflowWrap: 'anywhere',
    whiteSpace: 'pre-wrap',
  },
}));

/** What the button does next after an unknown outcome. */
function holdText(hold: OutcomeUnknownHold): string {
  if (hold.holding) {
    return 'Waiting for the cluster to show what happened before this can be tried again.';
  }
  return hold.changed
    ? 'The state has changed since: check it before trying again.'
    : 'No change seen since: check the state before trying again.';
}

/** Action buttons side by side, wrapping on narrow screens. */
export function ActionRow(props: { children: ReactNode }) {
  const classes = useStyles();
  return <div className={classes.row}>{props.children}</div>;
}

/** What an action did, in the backend's words. */
export function ActionDone(props: { message: string }) {
  const classes = useStyles();
  return (
    <Typography variant="caption" role="status" className={classes.outcome}>
      {props.message}
    </Typography>
  );
}

/** Under the button: what was done, or that the outcome is unknown and what to check. */
function ActionOutcome(props: { outcome?: string; hold: OutcomeUnknownHold }) {
  const { outcome, hold } = props;
  const classes = useStyles();
  return (
    <>
      {outcome && <ActionDone message={outcome} />}
      {hold.message && (
        <Typography variant="caption" role="status" className={classes.unknown}>
          {`${hold.message}\n${holdText(hold)}`}
        </Typography>
      )}
    </>
  );
}

/** What one action button does. */
export interface ActionButtonProps {
  label: string;
  /** One of the plugin's resource permissions on the catalog entity. */
  permission: typeof progressiveDeliveryEntityReadPermission;
  entityRef: string;
  /** What exactly will happen, for the confirmation dialog. */
  confirm: { title: string; text: string };
  run: () => Promise<ActionResponse>;
  /** Called after the action succeeded. */
  onDone?: (response: ActionResponse) => void;
  /** Takes the success message to show it elsewhere; without it, it shows under the button. */
  onOutcome?: (message: string) => void;
  primary?: boolean;
  /** The live state of the object the action changes, as a string that changes with it. */
  observed?: string;
}

/**
 * A button for one cluster action, shown only to users who hold its permission on the entity.
 * It asks for confirmation, shows progress, and then the outcome: the backend's message under
 * the button, or its refusal in the dialog. The live stream shows the effect. When the outcome
 * is unknown (the cluster took the request and did not answer in time) the dialog closes, the
 * message (what to check) stays under the button, and the button waits for the live state of
 * the object (`observed`) to change instead of inviting a second click.
 */
export function ActionButton(props: ActionButtonProps) {
  const { label, permission, entityRef, confirm, run, onDone, onOutcome } =
    props;
  const classes = useStyles();
  const { allowed } = usePermission({ permission, resourceRef: entityRef });
  const [open, setOpen] = useState(false);
  const [progress, setProgress] = useState<ActionProgress>({ state: 'idle' });
  const [outcome, setOutcome] = useState<string>();
  const hold = useOutcomeUnknownHold(props.observed);

  if (!allowed) {
    return null;
  }
  const running = progress.state === 'running';

  const submit = async () => {
    setProgress({ state: 'running' });
    try {
      const response = await run();
      if (onOutcome) {
        onOutcome(response.message);
      } else {
        setOutcome(response.message);
      }
      setProgress({ state: 'idle' });
      setOpen(false);
      onDone?.(response);
    } catch (error) {
      if (isOutcomeUnknown(error)) {
        hold.report(outcomeUnknownMessage(error));
        setProgress({ state: 'idle' });
        setOpen(false);
        return;
      }
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
        variant={props.primary ? 'contained' : 'outlined'}
        color={props.primary ? 'primary' : 'default'}
        disabled={running || hold.holding}
        onClick={() => {
          setOutcome(undefined);
          hold.clear();
          setOpen(true);
        }}
      >
        {label}
      </Button>
      <ActionOutcome outcome={outcome} hold={hold} />
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
