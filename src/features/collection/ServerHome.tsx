/**
 * The root page of a collection server for someone who is not signed in: which pack the server
 * collects, that an invite link (or a crowd study's link) from the project lead is what signs an
 * annotator in, and the way to the lead's sign-in. The static app and its demo pack are not offered
 * here: work done in them would stay in this browser, never reaching the server.
 */
import type { Health } from '../../core/formats/api.ts';

export function ServerHome({ health }: { health: Health }) {
  return (
    <main className="center-card server-home">
      <h1>Collection server</h1>
      <p>This richhf-studio server collects feedback on the task pack {health.pack !== undefined ? <strong>{health.pack}</strong> : 'it was started with'}.</p>
      {health.status !== 'ok' && (
        <p role="alert" className="error">
          The server is not ready ({health.status === 'stopping' ? 'it is stopping' : 'its database cannot be reached'}): try again in a moment.
        </p>
      )}
      <h2>Annotators</h2>
      <p>
        Open the invite link your project lead sent you (or your crowd study's link): it signs you in on this browser and brings you to your first image. Without one there is
        nothing to do here.
      </p>
      <h2>Project lead</h2>
      <p>
        <a href="#/review">Sign in as the project lead</a> with the lead's link that <code>richhf serve</code> printed when it started.
      </p>
    </main>
  );
}
