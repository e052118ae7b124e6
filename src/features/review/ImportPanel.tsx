import { useId, useState, type DragEvent } from 'react';
import { ProblemList } from '../problems/ProblemList.tsx';
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
        <table className="rv-files" aria-label="Imported files">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Annotator</th>
              <th scope="col">Records</th>
              <th scope="col">
                <span className="rv-sr">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.name}>
                <td>{f.name}</td>
                <td>{f.annotator}</td>
                <td>{f.records}</td>
                <td>
                  <button type="button" onClick={() => void removeFile(f.name)} disabled={busy} aria-label={`Remove ${f.name}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
