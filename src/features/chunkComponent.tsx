/**
 * A component whose code is a chunk of its own, loaded when first needed or ahead of time
 * (`preload`). Once the chunk is in, the component renders at once. A lazy component alone would
 * suspend on its first render even then (its promise is new to React), show the fallback, and
 * React 19 then holds the content back for up to 300 ms (its throttle on revealing Suspense
 * content). Each mounted instance keeps the one it started with (lazy or loaded), so nothing
 * mounts twice when the chunk arrives.
 */
import { lazy, Suspense, useState, type ComponentType, type ReactNode } from 'react';

export interface ChunkComponent<P extends object> {
  (props: P): ReactNode;
  /** Loads the chunk (once; a failed load is tried again by the next call). Never rejects. */
  preload(): Promise<void>;
  /** Whether the chunk is in (the component then renders at once). */
  isLoaded(): boolean;
}

export function chunkComponent<M, P extends object>(load: () => Promise<M>, pick: (m: M) => (props: P) => ReactNode, fallback: ReactNode): ChunkComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const get = (): Promise<ComponentType<P>> =>
    (pending ??= load().then(
      (m) => (loaded = pick(m)),
      (e: unknown) => {
        pending = null;
        throw e;
      },
    ));
  const Lazy = lazy(() => get().then((c) => ({ default: c })));
  function Chunked(props: P) {
    const [Shown] = useState<ComponentType<P>>(() => loaded ?? (Lazy as unknown as ComponentType<P>));
    return (
      <Suspense fallback={fallback}>
        <Shown {...props} />
      </Suspense>
    );
  }
  return Object.assign(Chunked, {
    isLoaded: () => loaded !== null,
    preload: () =>
      get().then(
        () => undefined,
        (e: unknown) => console.warn('richhf: a part of the page could not be loaded ahead of time', e),
      ),
  });
}
