/** The review page's table of imported files (rating and comparison alike): each with its annotator, its count of records and Remove. */
export interface ImportedFileRow {
  readonly name: string;
  /** Whose file it is (an annotator's id, or what the file is). */
  readonly who: string;
  /** Its number of records (empty for a file that holds none, such as a comparison key). */
  readonly records: string;
}

export function ImportedFiles({ rows, onRemove, disabled = false }: { rows: readonly ImportedFileRow[]; onRemove: (name: string) => void; disabled?: boolean }) {
  return (
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
        {rows.map((f) => (
          <tr key={f.name}>
            <td>{f.name}</td>
            <td>{f.who}</td>
            <td>{f.records}</td>
            <td>
              <button type="button" onClick={() => onRemove(f.name)} disabled={disabled} aria-label={`Remove ${f.name}`}>
                Remove
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
