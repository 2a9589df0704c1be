import fs from 'node:fs';
import path from 'node:path';
import { Bench, benchParams, machineInfo } from './Bench';
import { checkGrowth } from './growth/growthFigures';
import { runGrowth } from './growth/runGrowth';
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
  const log = (line: string) => print(`[${elapsed().padStart(4)} s] ${line}`);
  const results: BenchResults = options.growthOnly
    ? {
        machine: machineInfo(),
        date: new Date().toISOString(),
        params: benchParams(options, 0),
        targets: [],
      }
    : await new Bench(options, log).run();
  if (options.growth) {
    results.growth = await runGrowth(options, log);
    results.targets.push(...checkGrowth(results.growth));
  }
  fs.mkdirSync(options.outDir, { recursive: true });
  const jsonFile = path.join(options.outDir, 'latest.json');
  const markdownFile = path.join(options.outDir, 'latest.md');
  fs.writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(markdownFile, renderMarkdown(results));
  print(`\n${renderTable(results)}\n`);
  print(`wrote ${jsonFile} and ${markdownFile} in ${elapsed()} s`);
  return { results, jsonFile, markdownFile };
}
