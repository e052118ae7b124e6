import { useState } from 'react';
import { downloadWaiting } from './waitingFile.ts';

/** "Download them": what waits in this browser as files for the lead; a failure is said beside the button. */
export function WaitingDownload({ annotator, label }: { annotator: string; label: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <>
      <button type="button" onClick={() => void downloadWaiting(annotator).then(setProblem)}>
        {label}
      </button>
      {problem && (
        <span role="alert" className="error">
          {' '}
          {problem}
        </span>
      )}
    </>
  );
}
