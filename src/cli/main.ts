import { EXIT_USAGE, processIo, type Command, type Io } from './io.ts';

/**
 * Each command lives in its own file under src/cli/commands and is loaded only when used.
 * To add one: create the file (exporting `command: Command`) and list it here.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  consolidate: { summary: 'annotator files + task pack -> RichHF-18K-style dataset (JSON, TFRecord)', load: () => import('./commands/consolidate.ts') },
  validate: { summary: 'check packs, annotation files and datasets', load: () => import('./commands/validate.ts') },
  pack: { summary: "build a task pack from a folder of images and a prompt list (--compare: from several systems' folders)", load: () => import('./commands/pack.ts') },
  stats: { summary: "a dataset's agreement summary", load: () => import('./commands/stats.ts') },
  quality: { summary: 'per-annotator quality (gold items, agreement, behaviour) and flags', load: () => import('./commands/quality.ts') },
  serve: { summary: 'the collection server: hands out items to K annotators each, stores submissions (SQLite or PostgreSQL)', load: () => import('./commands/serve.ts') },
  evaluate: { summary: "score a model's predictions against a dataset (RichHF paper metrics)", load: () => import('./commands/evaluate.ts') },
  compare: { summary: 'the report of a blind side-by-side comparison of systems (shares, sign tests, win rates)', load: () => import('./commands/compare.ts') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: richhf <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nrichhf <command> --help for a command's options.\n`;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(usage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.err(`richhf: unknown command "${name}"\n\n${usage()}`);
    return EXIT_USAGE;
  }
  const { command } = await entry.load();
  return command.run(rest, io);
}
