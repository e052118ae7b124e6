import type { CompiledQuery, QueryResult, RawBuilder } from 'kysely';
import type { Tx } from './schema.ts';

/**
 * Queries that run on every request, compiled once per dialect instead of on every call.
 * Kysely builds and compiles a `sql` template anew each time it runs (profiled under the
 * server bench: about a tenth of the server's CPU went to building, compiling and freezing
 * query nodes, and to hashing each freshly built SQL text to find its prepared statement).
 *
 * `build` is called once per dialect with a placeholder for each argument, and each argument
 * must only be interpolated as a value (`${arg}`): never in `sql.lit`, `sql.join` or `sql.raw`,
 * nor looked at by code (it is not the value yet). The first compilation checks that every
 * parameter of the SQL is one of the arguments, so a value captured from elsewhere (which would
 * be frozen into the query) is refused, not silently reused.
 */
class Placeholder {
  constructor(readonly index: number) {}
}

interface Compiled {
  readonly sql: string;
  readonly query: CompiledQuery['query'];
  readonly queryId: CompiledQuery['queryId'];
  /** For each parameter of the SQL, the index of the argument it takes. */
  readonly argumentOf: readonly number[];
}

export type PreparedQuery<A extends readonly unknown[], R> = (tx: Tx, ...args: A) => Promise<QueryResult<R>>;

export function prepared<A extends readonly unknown[], R>(build: (...args: A) => RawBuilder<R>): PreparedQuery<A, R> {
  // Keyed by the dialect's adapter: one per database, the same object for every transaction on it.
  const byAdapter = new WeakMap<object, Compiled>();
  return async (tx, ...args) => {
    const adapter = tx.getExecutor().adapter;
    let compiled = byAdapter.get(adapter);
    if (!compiled) {
      compiled = compile(tx, build, args.length);
      byAdapter.set(adapter, compiled);
    }
    const parameters = compiled.argumentOf.map((i) => args[i]);
    const query: CompiledQuery<R> = { sql: compiled.sql, query: compiled.query, queryId: compiled.queryId, parameters };
    return await tx.executeQuery(query);
  };
}

function compile<A extends readonly unknown[], R>(tx: Tx, build: (...args: A) => RawBuilder<R>, arity: number): Compiled {
  const placeholders = Array.from({ length: arity }, (_, i) => new Placeholder(i)) as unknown as A;
  const q = build(...placeholders).compile(tx);
  const argumentOf = q.parameters.map((p) => {
    if (!(p instanceof Placeholder)) throw new Error(`prepared query: a parameter that is not one of its arguments (${String(p)}) in: ${q.sql}`);
    return p.index;
  });
  return { sql: q.sql, query: q.query, queryId: q.queryId, argumentOf };
}
