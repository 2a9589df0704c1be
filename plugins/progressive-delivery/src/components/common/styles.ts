import { Theme } from '@material-ui/core';

/** The small upper-case label over a value (a fact, a figure, a chain node's kind). */
export const overline = (theme: Theme) => ({
  color: theme.palette.text.secondary,
  fontSize: theme.typography.caption.fontSize,
  textTransform: 'uppercase' as const,
  letterSpacing: 0.5,
});
