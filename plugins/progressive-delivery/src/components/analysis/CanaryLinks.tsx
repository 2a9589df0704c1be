import { Button, makeStyles } from '@material-ui/core';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import { CanaryLink } from '@progressive-delivery/plugin-progressive-delivery-common';
import { shownLinks } from '../../lib/canaryLinks';

const useStyles = makeStyles(theme => ({
  links: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
}));

/** Grafana dashboard and Kiali graph of the canary, when its cluster configures them. */
export function CanaryLinks(props: { links?: CanaryLink[]; canary: string }) {
  const classes = useStyles();
  const links = shownLinks(props.links);
  if (links.length === 0) {
    return null;
  }
  return (
    <nav className={classes.links} aria-label={`Dashboards of ${props.canary}`}>
      {links.map(link => (
        <Button
          key={`${link.kind}-${link.url}`}
          size="small"
          variant="outlined"
          color="primary"
          href={link.url}
          target="_blank"
          rel="noopener noreferrer"
          endIcon={<OpenInNewIcon fontSize="small" />}
        >
          {link.title}
        </Button>
      ))}
    </nav>
  );
}
