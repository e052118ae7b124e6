import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The Parquet writer thread starts beside the items it writes, so what it loads is paid on every
 * `consolidate --parquet`: zod alone (105 modules) was 60 ms of its start, for one helper of the
 * pack's item kinds that the thread never calls. Its own modules must not import zod.
 */
const root = path.resolve(import.meta.dirname, '../..');

function imports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/^(?:import|export)(?!\s+type\b)[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

function graph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of imports(file)) {
      if (spec.startsWith('.')) walk(path.resolve(path.dirname(file), spec));
      else if (!spec.startsWith('node:')) packages.add(spec.split('/')[0]!);
    }
  };
  walk(path.join(root, entry));
  return { files, packages };
}

describe('the Parquet writer thread', () => {
  it('loads no zod', () => {
    const { files, packages } = graph('src/node/parquetWorker.ts');
    expect(files.has(path.join(root, 'src/core/parquet/parquetExport.ts'))).toBe(true);
    expect([...packages].sort()).toEqual(['hyparquet-writer']);
    // The walk does see zod where it is imported.
    expect(graph('src/core/formats/taskpack.ts').packages.has('zod')).toBe(true);
  });
});
