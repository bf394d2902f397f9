/** Where a command writes; injected so commands can be tested in-process. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The process's own streams. */
export const processOutput: Output = {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
};
