import { EXIT_USAGE, type Command } from '../io.ts';

export const command: Command = {
  summary: 'stats',
  async run(_args, io) {
    io.err('richhf stats: not implemented yet\n');
    return EXIT_USAGE;
  },
};
