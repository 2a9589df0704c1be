import { makeStyles, TableCell, TableRow } from '@material-ui/core';
import { CanaryAlert } from '@progressive-delivery/plugin-progressive-delivery-common';
import { DataTable } from '../common/DataTable';
import { problemText } from '../common/styles';

const useStyles = makeStyles(theme => ({
  missing: problemText(theme),
}));

const COLUMNS = ['Alert', 'Severity', 'AlertProvider', 'Sends to'];

/** Where the provider delivers: its type and channel (never its address: that is a secret). */
function destinationText(provider: NonNullable<CanaryAlert['provider']>) {
  const channel = provider.channel ? ` #${provider.channel}` : '';
  const as = provider.username ? ` as ${provider.username}` : '';
  return `${provider.type}${channel}${as}`;
}

/** The canary's alerts with the AlertProvider each names, or that it does not exist. */
export function CanaryAlerts(props: { alerts: CanaryAlert[] }) {
  const classes = useStyles();
  return (
    <DataTable label="Alerts" columns={COLUMNS}>
      {props.alerts.map(alert => (
        <TableRow key={alert.name}>
          <TableCell>{alert.name}</TableCell>
          <TableCell>{alert.severity}</TableCell>
          <TableCell>
            {alert.providerRef.namespace}/{alert.providerRef.name}
          </TableCell>
          {alert.provider ? (
            <TableCell>{destinationText(alert.provider)}</TableCell>
          ) : (
            <TableCell className={classes.missing}>
              provider not found: Flagger cannot send this alert
            </TableCell>
          )}
        </TableRow>
      ))}
    </DataTable>
  );
}
