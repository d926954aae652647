/**
 * What a command prints when it is done: with --json exactly one JSON document on stdout (scripts parse it),
 * otherwise a few human lines. Diagnostics and progress go to stderr, so stdout stays clean either way.
 */
export function printSummary(json: boolean | undefined, summary: Record<string, unknown>, human: string): void {
  if (json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else process.stdout.write(human.endsWith("\n") ? human : `${human}\n`);
}
