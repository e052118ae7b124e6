import { EXIT_USAGE, type Command } from '../io.ts';

export const command: Command = {
  summary: 'evaluate',
  async run(_args, io) {
    io.err('richhf evaluate: not implemented yet\n');
    return EXIT_USAGE;
  },
};
