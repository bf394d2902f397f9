/**
 * The `gitops` command-line tool.
 *
 * @packageDocumentation
 */

import { runCli } from './program';
import { processOutput } from './lib/output';

runCli(process.argv.slice(2), processOutput).then(
  code => {
    process.exitCode = code;
  },
  error => {
    process.stderr.write(`gitops: ${error}\n`);
    process.exitCode = 1;
  },
);
