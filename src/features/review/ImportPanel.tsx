import { useId, useState, type DragEvent } from 'react';
import { ProblemList } from '../problems/ProblemList.tsx';
import { ImportedFiles } from './ImportedFiles.tsx';
import { useReviewStore } from './reviewStore.ts';

/** Annotation files in: a file input and a drop zone; rejected files listed with their located errors. */
export function ImportPanel() {
  const files = useReviewStore((s) => s.files);
  const rejected = useReviewStore((s) => s.rejected);
  const busy = useReviewStore((s) => s.busy);
  const importFiles = useReviewStore((s) => s.importFiles);
  const removeFile = useReviewStore((s) => s.removeFile);
  const [over, setOver] = useState(false);
  const inputId = useId();

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const list = [...e.dataTransfer.files].filter((f) => f.name.toLowerCase().endsWith('.json'));
    if (list.length) void importFiles(list);
  };

  return (
    <section aria-labelledby="import-heading" className="rv-panel">
      <h2 id="import-heading">Import annotations</h2>
      <div
        role="group"
        aria-label="File drop zone"
        className={over ? 'rv-drop rv-drop-over' : 'rv-drop'}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <label htmlFor={inputId}>Annotation files</label>{' '}
        <input
          id={inputId}
          type="file"
          accept=".json,application/json"
          multiple
          disabled={busy}
          onChange={(e) => {
            const list = [...(e.target.files ?? [])];
            e.target.value = '';
            if (list.length) void importFiles(list);
          }}
        />
        <p className="rv-hint">…or drop richhf-annotations JSON files here. Files are checked against the pack; bad files are rejected.</p>
      </div>
      {busy && <p role="status">Working…</p>}
      {rejected.length > 0 && (
        <div role="alert" className="rv-errors">
          {rejected.map((r) => (
            <div key={r.name}>
              <p>
                <strong>{r.name}</strong> was rejected (nothing of it was kept):
              </p>
              <ProblemList label={`Problems in ${r.name}`} lines={r.errors} />
            </div>
          ))}
        </div>
      )}
      {files.length > 0 && (
        <ImportedFiles rows={files.map((f) => ({ name: f.name, who: f.annotator, records: String(f.records) }))} onRemove={(name) => void removeFile(name)} disabled={busy} />
      )}
    </section>
  );
}
