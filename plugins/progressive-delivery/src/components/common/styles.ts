import { Theme } from '@material-ui/core';
import type { CSSProperties } from '@material-ui/core/styles/withStyles';

/** The small upper-case label over a value (a fact, a figure, a chain node's kind). */
export const overline = (theme: Theme): CSSProperties => ({
  color: theme.palette.text.secondary,
  fontSize: theme.typography.caption.fontSize,
  textTransform: 'uppercase',
  letterSpacing: 0.5,
});
