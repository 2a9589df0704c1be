import { makeStyles } from '@material-ui/core';
import { ReactNode } from 'react';
import { overline } from './styles';

const useStyles = makeStyles(theme => ({
  term: overline(theme),
  value: { margin: 0 },
  wrap: { overflowWrap: 'anywhere' },
}));

/** One term and its value in a description list; the caller wraps the pair (a div, a card). */
export function Fact(props: {
  term: string;
  /** Lets long values (revisions, names) break anywhere rather than widen the column. */
  wrap?: boolean;
  children: ReactNode;
}) {
  const classes = useStyles();
  return (
    <>
      <dt className={classes.term}>{props.term}</dt>
      <dd
        className={
          props.wrap ? `${classes.value} ${classes.wrap}` : classes.value
        }
      >
        {props.children}
      </dd>
    </>
  );
}
