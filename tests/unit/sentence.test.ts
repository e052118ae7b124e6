import { describe, expect, it } from 'vitest';
import { asSentence } from '../../src/core/text/sentence.ts';

describe('asSentence', () => {
  it('capitalises the first letter and closes with a full stop, once', () => {
    expect(asSentence('this token is not known to this server: ask the project lead')).toBe('This token is not known to this server: ask the project lead.');
    expect(asSentence('Already one.')).toBe('Already one.');
    expect(asSentence('why not?')).toBe('Why not?');
    expect(asSentence('  trailing space  ')).toBe('Trailing space.');
    expect(asSentence('élan')).toBe('Élan.');
    expect(asSentence('')).toBe('');
  });
});
