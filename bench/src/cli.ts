import fs from 'node:fs';
import path from 'node:path';
import { Bench } from './Bench';
import { parseBenchArgs, USAGE } from './options';
import { BENCH_DIR } from './paths';
import { renderMarkdown, renderTable } from './report';
import { BenchResults } from './results';

/** Bad command-line arguments: the message is for the user, followed by the usage. */
export class UsageError extends Error {}

export interface CliOutcome {
  results?: BenchResults;
  jsonFile?: string;
  markdownFile?: string;
}

/** `npm run bench -- ARGS`: runs the bench, prints the table, writes latest.json and latest.md. */
export async function runCli(
  argv: string[],
  print: (text: string) => void,
): Promise<CliOutcome> {
  let options;
  try {
    options = parseBenchArgs(argv, path.join(BENCH_DIR, 'results'));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${USAGE}`);
  }
  if (options.help) {
    print(USAGE);
    return {};
  }
  const started = Date.now();
  const elapsed = () => ((Date.now() - started) / 1000).toFixed(0);
  const results = await new Bench(options, line =>
    print(`[${elapsed().padStart(4)} s] ${line}`),
  ).run();
  fs.mkdirSync(options.outDir, { recursive: true });
  const jsonFile = path.join(options.outDir, 'latest.json');
  const markdownFile = path.join(options.outDir, 'latest.md');
  fs.writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(markdownFile, renderMarkdown(results));
  print(`\n${renderTable(results)}\n`);
  print(`wrote ${jsonFile} and ${markdownFile} in ${elapsed()} s`);
  return { results, jsonFile, markdownFile };
}
