import { EXIT_USAGE, type Command } from '../io.ts';

export const command: Command = {
  summary: 'pack',
  async run(_args, io) {
    io.err('richhf pack: not implemented yet\n');
    return EXIT_USAGE;
  },
};
