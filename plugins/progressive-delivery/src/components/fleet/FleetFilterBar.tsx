import { Grid, makeStyles, MenuItem, TextField } from '@material-ui/core';
import { FleetFilters } from '../../lib/fleet';

const useStyles = makeStyles(theme => ({
  filters: { marginBottom: theme.spacing(2) },
}));

const FILTER_LABELS: Record<keyof FleetFilters, string> = {
  cluster: 'Cluster',
  namespace: 'Namespace / tenant',
  phase: 'Phase',
  owner: 'Owner',
};

/** One select per filter, each offering the values the fleet has. */
export function FleetFilterBar(props: {
  filters: FleetFilters;
  options: Record<keyof FleetFilters, string[]>;
  onChange: (filters: FleetFilters) => void;
}) {
  const { filters, options, onChange: setFilters } = props;
  const classes = useStyles();
  return (
    <Grid container spacing={2} className={classes.filters}>
      {(Object.keys(FILTER_LABELS) as Array<keyof FleetFilters>).map(key => (
        <Grid item xs={12} sm={6} md={3} key={key}>
          <TextField
            select
            fullWidth
            variant="outlined"
            size="small"
            label={FILTER_LABELS[key]}
            value={filters[key]}
            onChange={event =>
              setFilters({ ...filters, [key]: event.target.value as string })
            }
            SelectProps={{
              SelectDisplayProps: {
                'aria-label': `Filter by ${FILTER_LABELS[key].toLocaleLowerCase(
                  'en-US',
                )}`,
              } as object,
            }}
          >
            <MenuItem value="">Any</MenuItem>
            {options[key].map(option => (
              <MenuItem key={option} value={option}>
                {option}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
      ))}
    </Grid>
  );
}
