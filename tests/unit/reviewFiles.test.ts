import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { deleteReviewFile, listReviewFiles, loadReviewSettings, pendingReviewWrites, putReviewFile, saveReviewSettings } from '../../src/storage/reviewFiles.ts';

describe('review files storage', () => {
  it('keeps files per pack, replaces by name and deletes', async () => {
    void putReviewFile({ pack: 'p', name: 'b.json', blob: new Blob(['B']), importedAt: '2026-01-01T00:00:00Z' });
    void putReviewFile({ pack: 'p', name: 'a.json', blob: new Blob(['A']), importedAt: '2026-01-01T00:00:00Z' });
    void putReviewFile({ pack: 'p2', name: 'a.json', blob: new Blob(['other pack']), importedAt: '2026-01-01T00:00:00Z' });
    void putReviewFile({ pack: 'p', name: 'a.json', blob: new Blob(['A2']), importedAt: '2026-01-02T00:00:00Z' });
    await pendingReviewWrites();
    const { files } = await listReviewFiles('p');
    expect(await Promise.all(files.map(async (f) => [f.name, await f.blob.text()]))).toEqual([
      ['a.json', 'A2'],
      ['b.json', 'B'],
    ]);
    await deleteReviewFile('p', 'a.json');
    expect((await listReviewFiles('p')).files.map((f) => f.name)).toEqual(['b.json']);
    expect(await Promise.all((await listReviewFiles('p2')).files.map((f) => f.blob.text()))).toEqual(['other pack']);
  });
  it('round-trips settings', async () => {
    expect(await loadReviewSettings()).toBeUndefined();
    await saveReviewSettings({ version: 1, opacity: 0.5 });
    expect(await loadReviewSettings()).toEqual({ version: 1, opacity: 0.5 });
  });
});
