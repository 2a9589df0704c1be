import { makeStyles, Typography } from '@material-ui/core';
import { ReactNode } from 'react';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(3) },
  title: { marginBottom: theme.spacing(1) },
}));

/** A titled part of a panel; the title is a heading so screen readers can jump between parts. */
export function Section(props: { title: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <section className={classes.section} aria-label={props.title}>
      <Typography variant="subtitle1" component="h3" className={classes.title}>
        {props.title}
      </Typography>
      {props.children}
    </section>
  );
}
