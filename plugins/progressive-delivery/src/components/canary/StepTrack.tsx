import { makeStyles, Typography } from '@material-ui/core';
import { CanaryStep } from '@progressive-delivery/plugin-progressive-delivery-common';

const useStyles = makeStyles(theme => ({
  track: {
    display: 'flex',
    // A wrapped track would break its connectors: scroll sideways when too narrow instead.
    overflowX: 'auto',
    listStyle: 'none',
    margin: 0,
    padding: theme.spacing(0.5, 0),
  },
  step: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    flex: '1 1 0',
    minWidth: theme.spacing(5),
    position: 'relative',
    // The connector to the previous step.
    '&:not(:first-child)::before': {
      content: '""',
      position: 'absolute',
      top: theme.spacing(1),
      right: '50%',
      width: '100%',
      height: 2,
      backgroundColor: theme.palette.divider,
      zIndex: 0,
    },
  },
  doneConnector: {
    '&:not(:first-child)::before': {
      backgroundColor: theme.palette.primary.main,
    },
  },
  dot: {
    width: theme.spacing(2),
    height: theme.spacing(2),
    borderRadius: '50%',
    border: `2px solid ${theme.palette.divider}`,
    backgroundColor: theme.palette.background.paper,
    zIndex: 1,
    boxSizing: 'border-box',
    transition: 'all 400ms ease',
    '@media (prefers-reduced-motion: reduce)': { transition: 'none' },
  },
  done: {
    borderColor: theme.palette.primary.main,
    backgroundColor: theme.palette.primary.main,
  },
  current: {
    width: theme.spacing(2.5),
    height: theme.spacing(2.5),
    marginTop: -theme.spacing(0.25),
    borderColor: theme.palette.secondary.main,
    backgroundColor: theme.palette.secondary.main,
    boxShadow: `0 0 0 4px ${theme.palette.action.selected}`,
  },
  label: { marginTop: theme.spacing(0.5), whiteSpace: 'nowrap' },
  currentLabel: { fontWeight: theme.typography.fontWeightBold as number },
  hidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
  },
}));

const STATE_TEXT: Record<CanaryStep['state'], string> = {
  done: 'done',
  current: 'current step',
  pending: 'to do',
};

/** The rollout's steps (0% -> 5% -> ... -> promote, or iterations) with the current one marked. */
export function StepTrack(props: { steps: CanaryStep[]; label?: string }) {
  const { steps, label } = props;
  const classes = useStyles();
  const current = steps.findIndex(s => s.state === 'current');
  const summary =
    current === -1
      ? 'no rollout running'
      : `step ${current + 1} of ${steps.length}, ${steps[current].label}`;
  return (
    <ol
      className={classes.track}
      aria-label={`${label ?? 'Rollout steps'}: ${summary}`}
      data-testid="step-track"
    >
      {steps.map((step, index) => (
        <li
          // Steps are positional: the index is their identity.
          key={index}
          aria-current={step.state === 'current' ? 'step' : undefined}
          className={`${classes.step} ${
            step.state !== 'pending' ? classes.doneConnector : ''
          }`}
        >
          <span
            aria-hidden
            className={`${classes.dot} ${
              step.state === 'done' ? classes.done : ''
            } ${step.state === 'current' ? classes.current : ''}`}
          />
          <Typography
            variant="caption"
            className={`${classes.label} ${
              step.state === 'current' ? classes.currentLabel : ''
            }`}
          >
            {step.label}
            <span className={classes.hidden}> ({STATE_TEXT[step.state]})</span>
          </Typography>
        </li>
      ))}
    </ol>
  );
}
