/* eslint-disable no-console */
import { runCli, UsageError } from './cli';

runCli(process.argv.slice(2), text => console.log(text)).catch(e => {
  console.error(e instanceof UsageError ? e.message : e);
  process.exit(e instanceof UsageError ? 2 : 1);
});
