import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import { StatusOK, StatusPending } from '@backstage/core-components';
import {
  CanaryGate,
  CanaryWebhook,
} from '@progressive-delivery/plugin-progressive-delivery-common';

/** Manual gates (and whether Flagger waits on one), then the other webhooks. */
export function Gates(props: {
  gates: CanaryGate[];
  webhooks: CanaryWebhook[];
}) {
  const { gates, webhooks } = props;
  if (gates.length === 0 && webhooks.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No gates: the canary advances on metric checks alone.
      </Typography>
    );
  }
  return (
    <List dense disablePadding aria-label="Gates and webhooks">
      {gates.map(gate => (
        <ListItem key={gate.name} disableGutters>
          <ListItemText
            primary={
              gate.waiting ? (
                <StatusPending>
                  <strong>{gate.name}</strong> ({gate.type}) — waiting: open it
                  to continue
                </StatusPending>
              ) : (
                <StatusOK>
                  <strong>{gate.name}</strong> ({gate.type}) — not waiting
                </StatusOK>
              )
            }
            secondary={`${gate.description} ${gate.url}`}
          />
        </ListItem>
      ))}
      {webhooks.map(hook => (
        <ListItem key={hook.name} disableGutters>
          <ListItemText
            primary={`${hook.name} (${hook.type} webhook)`}
            secondary={hook.url}
          />
        </ListItem>
      ))}
    </List>
  );
}
