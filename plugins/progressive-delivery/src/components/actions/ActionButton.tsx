import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Tooltip,
} from '@material-ui/core';
import {
  ActionResponse,
  progressiveDeliveryEntityReadPermission,
} from '@internal/plugin-progressive-delivery-common';
import { useState } from 'react';

/**
 * A button for one cluster action: enabled only when the user holds the permission on the
 * entity, asks for confirmation, and reports the outcome. The live stream shows the effect.
 */
export function ActionButton(props: {
  label: string;
  /** One of the plugin's resource permissions on the catalog entity. */
  permission: typeof progressiveDeliveryEntityReadPermission;
  entityRef: string;
  confirm: { title: string; text: string };
  run: () => Promise<ActionResponse>;
  primary?: boolean;
}) {
  const { label, permission, entityRef, confirm, run, primary } = props;
  const alertApi = useApi(alertApiRef);
  const { allowed, loading } = usePermission({
    permission,
    resourceRef: entityRef,
  });
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    try {
      const response = await run();
      alertApi.post({
        message: response.message,
        severity: 'success',
        display: 'transient',
      });
      setOpen(false);
    } catch (error) {
      alertApi.post({
        message: `${label} failed: ${(error as Error).message}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  const button = (
    <Button
      size="small"
      variant={primary ? 'contained' : 'outlined'}
      color={primary ? 'primary' : 'default'}
      disabled={!allowed || loading || busy}
      onClick={() => setOpen(true)}
    >
      {label}
    </Button>
  );
  return (
    <>
      {allowed || loading ? (
        button
      ) : (
        // A disabled button gets no pointer events: the span carries the explanation.
        <Tooltip title={`You may not ${label.toLocaleLowerCase('en-US')} here`}>
          <span>{button}</span>
        </Tooltip>
      )}
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        aria-labelledby={`${label}-title`}
      >
        <DialogTitle id={`${label}-title`}>{confirm.title}</DialogTitle>
        <DialogContent>
          <DialogContentText>{confirm.text}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button
            color="primary"
            variant="contained"
            disabled={busy}
            onClick={submit}
          >
            {label}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
