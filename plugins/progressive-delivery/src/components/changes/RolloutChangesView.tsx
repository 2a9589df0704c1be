import { Link, makeStyles, Typography } from '@material-ui/core';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import {
  ContainerChange,
  RolloutChanges,
  RolloutSourceChange,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { Fact } from '../common/Fact';
import { problemText } from '../common/styles';
import {
  checksumText,
  compareLink,
  configText,
  containerLines,
  fieldText,
  hasChanges,
  imageText,
  revisionText,
} from './changeText';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: `minmax(${theme.spacing(14)}px, max-content) 1fr`,
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(1),
    margin: 0,
    '& dd': { overflowWrap: 'anywhere' },
  },
  list: { margin: 0, paddingLeft: theme.spacing(2) },
  code: { fontFamily: 'monospace', fontSize: '0.85em' },
  link: { display: 'inline-flex', alignItems: 'center', gap: 4 },
  problem: problemText(theme),
}));

function Lines(props: { lines: string[]; label: string }) {
  const classes = useStyles();
  return (
    <ul className={classes.list} aria-label={props.label}>
      {props.lines.map((line, i) => (
        <li key={i}>
          <Typography variant="body2" component="span">
            {line}
          </Typography>
        </li>
      ))}
    </ul>
  );
}

function containerTitle(container: ContainerChange): string {
  const kind = container.init ? 'init container' : 'container';
  return container.change === 'changed'
    ? `${kind} ${container.name}`
    : `${kind} ${container.name} ${container.change}`;
}

function Containers(props: { containers: ContainerChange[] }) {
  const classes = useStyles();
  return (
    <>
      {props.containers.map(container => {
        const lines = containerLines(container);
        return (
          <div key={`${container.init}-${container.name}`}>
            <Typography variant="body2" component="div">
              <strong>{containerTitle(container)}</strong>
              {container.image && (
                <>
                  {' '}
                  <span className={classes.code}>
                    {imageText(container.image)}
                  </span>
                </>
              )}
            </Typography>
            {lines.length > 0 && (
              <Lines lines={lines} label={`Changes of ${container.name}`} />
            )}
          </div>
        );
      })}
    </>
  );
}

/** The Git range: a link to the forge's compare view, or the revisions and why not. */
function Source(props: { source: RolloutSourceChange }) {
  const { source } = props;
  const classes = useStyles();
  const link = compareLink(source);
  const range = `${revisionText(source.fromRevision)} → ${revisionText(
    source.toRevision,
  )}`;
  return (
    <>
      <Typography variant="body2" component="div" className={classes.code}>
        {source.fromRevision ? range : revisionText(source.toRevision)}
      </Typography>
      {link ? (
        <Link
          href={link.url}
          target="_blank"
          rel="noopener noreferrer"
          variant="body2"
          className={classes.link}
        >
          {link.text}
          <OpenInNewIcon fontSize="inherit" />
        </Link>
      ) : (
        source.reason && (
          <Typography variant="caption" color="textSecondary" display="block">
            No compare link: {source.reason}.
          </Typography>
        )
      )}
    </>
  );
}

/**
 * What the revision under analysis changes against the promoted one: images, environment,
 * resources and other pod template fields, the ConfigMaps and Secrets Flagger tracks (names and
 * whether their content changed, never a value), and the Git range with a compare link.
 */
export function RolloutChangesView(props: {
  changes: RolloutChanges;
  /** Names the list for screen readers, e.g. the canary. */
  label: string;
}) {
  const { changes, label } = props;
  const classes = useStyles();
  const images = changes.containers;
  return (
    <div aria-label={label} role="group">
      <dl className={classes.facts}>
        {images.length > 0 && (
          <Fact term="Containers">
            <Containers containers={images} />
          </Fact>
        )}
        {changes.podTemplate.length > 0 && (
          <Fact term="Pod template">
            <Lines
              lines={changes.podTemplate.map(fieldText)}
              label="Pod template changes"
            />
          </Fact>
        )}
        {changes.configs.length > 0 && (
          <Fact term="Tracked configs">
            <ul className={classes.list} aria-label="Tracked configs">
              {changes.configs.map(config => (
                <li key={`${config.kind}/${config.name}`}>
                  <Typography
                    variant="body2"
                    component="span"
                    title={checksumText(config)}
                  >
                    {configText(config)}
                  </Typography>
                </li>
              ))}
            </ul>
          </Fact>
        )}
        {changes.source && (
          <Fact term="Git">
            <Source source={changes.source} />
          </Fact>
        )}
      </dl>
      {!hasChanges(changes) && (
        <Typography variant="body2" color="textSecondary">
          No differences in images, environment, resources, pod template or
          tracked configs.
        </Typography>
      )}
      {changes.notes.map(note => (
        <Typography
          key={note}
          variant="caption"
          color="textSecondary"
          display="block"
        >
          {note}
        </Typography>
      ))}
      {changes.problems.map(problem => (
        <Typography
          key={`${problem.field}: ${problem.message}`}
          variant="caption"
          display="block"
          className={classes.problem}
        >
          {problem.field}: {problem.message}
        </Typography>
      ))}
    </div>
  );
}
