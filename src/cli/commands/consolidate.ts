import { EXIT_USAGE, type Command } from '../io.ts';

export const command: Command = {
  summary: 'consolidate',
  async run(_args, io) {
    io.err('richhf consolidate: not implemented yet\n');
    return EXIT_USAGE;
  },
};
