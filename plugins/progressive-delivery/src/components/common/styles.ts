import { Theme } from '@material-ui/core';
import type { CSSProperties } from '@material-ui/core/styles/withStyles';

/** The small upper-case label over a value (a fact, a figure, a chain node's kind). */
export const overline = (theme: Theme): CSSProperties => ({
  color: theme.palette.text.secondary,
  fontSize: theme.typography.caption.fontSize,
  textTransform: 'uppercase',
  letterSpacing: 0.5,
});

/**
 * A description list laid out as a grid of equal columns at least 22 spacing units wide:
 * `auto-fill` keeps empty tracks (facts line up across cards), `auto-fit` stretches the items.
 */
export const factGrid = (
  theme: Theme,
  repeat: 'auto-fill' | 'auto-fit',
): CSSProperties => ({
  display: 'grid',
  gridTemplateColumns: `repeat(${repeat}, minmax(${theme.spacing(22)}px, 1fr))`,
  gap: theme.spacing(2),
  margin: 0,
});

/** Text about a field that could not be read. */
export const problemText = (theme: Theme): CSSProperties => ({
  color: theme.palette.warning.main,
});

/** The colour of a measured value that passes or fails its check, readable on the theme. */
export const verdictText = (
  theme: Theme,
  verdict: 'pass' | 'fail',
): CSSProperties => {
  const light = theme.palette.type === 'light';
  if (verdict === 'pass') {
    return {
      color: light ? theme.palette.success.dark : theme.palette.success.light,
    };
  }
  return { color: theme.palette.error.main };
};
