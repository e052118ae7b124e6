import { EXIT_USAGE, type Command } from '../io.ts';

export const command: Command = {
  summary: 'validate',
  async run(_args, io) {
    io.err('richhf validate: not implemented yet\n');
    return EXIT_USAGE;
  },
};
