import { describe, expect, it } from 'vitest';
import { unreachableFrom } from '../../scripts/reactTrim.ts';

// A small module shaped like React's builds: top-level functions, a prototype method, a dispatcher
// object and a function nested in another.
const CODE = `
function seed() { helper(); shared(); nested(); function nested() { deep(); } }
function helper() { onlyFromHelper(); }
function onlyFromHelper() {}
function shared() {}
function live() { shared(); }
function deep() {}
function twice() {}
function other() { function twice() {} twice(); }
function fromTop() {}
var dispatcher = { f: fromTop, g: seed };
Thing.prototype.method = function () { viaMethod(); };
function viaMethod() {}
live();
`;

const names = (seeds: string[]) => unreachableFrom(CODE, seeds).cut.map((f) => f.name);

describe('unreachableFrom (the React trim)', () => {
  it('takes the seeds and what only they call, transitively', () => {
    expect(names(['seed']).sort()).toEqual(['deep', 'helper', 'onlyFromHelper', 'seed']);
  });

  it('keeps a function that something outside the set still calls', () => {
    expect(names(['seed'])).not.toContain('shared');
  });

  it('cuts a nested function with its parent, not on its own', () => {
    // `nested` is inside `seed`: replacing seed's body removes it, so it is not listed apart.
    expect(names(['seed'])).not.toContain('nested');
  });

  it('follows a prototype method to what only it calls', () => {
    expect(names(['Thing.prototype.method']).sort()).toEqual(['Thing.prototype.method', 'viaMethod']);
  });

  it('reports a seed that is not declared exactly once, and leaves it', () => {
    const r = unreachableFrom(CODE, ['twice', 'gone']);
    expect(r.missing).toEqual(['twice', 'gone']);
    expect(r.cut).toEqual([]);
  });

  it('never adds a function referenced at the top level (a dispatcher entry)', () => {
    expect(names(['seed'])).not.toContain('fromTop');
    // A seed referenced from the top level is cut only because it is named.
    expect(names(['fromTop'])).toEqual(['fromTop']);
  });

  it('gives the body to replace, braces included', () => {
    const [f] = unreachableFrom(CODE, ['helper']).cut;
    expect(CODE.slice(f!.body.start, f!.body.end)).toBe('{ onlyFromHelper(); }');
  });
});
