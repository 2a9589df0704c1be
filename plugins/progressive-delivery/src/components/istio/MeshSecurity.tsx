import {
  List,
  ListItem,
  ListItemText,
  makeStyles,
  Typography,
} from '@material-ui/core';
import {
  IstioPolicy,
  IstioRouting,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { problemText } from '../common/styles';

const useStyles = makeStyles(theme => ({
  heading: { marginTop: theme.spacing(1) },
  problem: problemText(theme),
  // The list inherits nowrap from the card; long policy names must wrap, not run off it.
  wrap: { overflowWrap: 'anywhere', whiteSpace: 'normal' },
}));

const MTLS_TEXT: Record<IstioRouting['mtlsMode'], string> = {
  STRICT: 'STRICT — only mutual TLS accepted',
  PERMISSIVE: 'PERMISSIVE — plain text and mutual TLS accepted',
  DISABLE: 'DISABLE — plain text only',
};

const SCOPE_TEXT: Record<IstioPolicy['scope'], string> = {
  workload: 'selects this workload',
  namespace: 'whole namespace',
  mesh: 'root namespace: applies across the mesh',
};

/** A heading of the mesh column, spaced from the part above it. */
function MeshHeading(props: { children: string }) {
  const classes = useStyles();
  return (
    <Typography variant="subtitle2" component="h4" className={classes.heading}>
      {props.children}
    </Typography>
  );
}

/** The mode in force, then the container ports that Istio treats differently. */
function MtlsMode(props: { routing: IstioRouting }) {
  const { routing } = props;
  const overrides = routing.mtlsPortOverrides ?? [];
  return (
    <>
      <Typography variant="subtitle2" component="h4">
        mTLS
      </Typography>
      <Typography variant="body2">
        {MTLS_TEXT[routing.mtlsMode]} (set at {routing.mtlsSource} level)
      </Typography>
      {overrides.map(override => (
        <Typography key={override.port} variant="body2">
          except port {override.port}: {MTLS_TEXT[override.mode]}
        </Typography>
      ))}
    </>
  );
}

/** The mTLS mode in force, the DestinationRules, the policies and what could not be read. */
export function MeshSecurity(props: { routing: IstioRouting }) {
  const { routing } = props;
  const classes = useStyles();
  return (
    <>
      <MtlsMode routing={routing} />
      <MeshHeading>DestinationRules</MeshHeading>
      <Typography variant="body2" className={classes.wrap}>
        {routing.destinationRules
          .map(d => (d.tlsMode ? `${d.name} (TLS ${d.tlsMode})` : d.name))
          .join(', ') || 'none'}
      </Typography>
      <MeshHeading>Policies</MeshHeading>
      {routing.policies.length === 0 ? (
        <Typography variant="body2">none apply to the workload</Typography>
      ) : (
        <List dense disablePadding aria-label="Istio policies">
          {routing.policies.map(policy => (
            <ListItem
              key={`${policy.kind}/${policy.namespace}/${policy.name}`}
              disableGutters
            >
              <ListItemText
                primaryTypographyProps={{ className: classes.wrap }}
                secondaryTypographyProps={{ className: classes.wrap }}
                primary={`${policy.kind} ${policy.namespace}/${policy.name}`}
                secondary={`${policy.summary} (${SCOPE_TEXT[policy.scope]})`}
              />
            </ListItem>
          ))}
        </List>
      )}
      {routing.problems.map(problem => (
        <Typography
          key={`${problem.field}: ${problem.message}`}
          variant="body2"
          className={classes.problem}
        >
          {problem.field}: {problem.message}
        </Typography>
      ))}
    </>
  );
}
