import * as z from 'zod/mini';
import * as zc from 'zod/v4/core';
import type { JsonKind } from './jsonScan.ts';
import { errorMap, formatPath } from './issuePath.ts';
import type { Parsed } from './located.ts';
import { MAX_PROBLEMS_PER_FILE, Problems, type ProblemReport } from './problems.ts';

/**
 * Validation of a whole document with a bound. Every format is a JSON object whose bulk sits
 * in top-level arrays (`items`, `annotations`); those are validated one element at a time
 * with the element's own schema, so:
 * - the first N problems of a file are listed and validation stops there (no million issue
 *   objects, no zod `issues.push(...hugeArray)` overflowing the stack);
 * - from bytes, the text is never held as one string nor parsed as one value: each run of
 *   elements is decoded and parsed on its own, and its input dropped once validated.
 * The result is what the document's zod schema gives (same checks, messages, output), except
 * that only the first N problems are reported.
 */

/** Where a document's members come from: a parsed value, or bytes (readDocument.ts). */
export interface Source {
  readonly kind: JsonKind;
  has(key: string): boolean;
  kindOf(key: string): JsonKind;
  value(key: string): unknown;
  /** Visits the elements of array member `key` in order until `visit` returns false. */
  elements(key: string, visit: (value: unknown, index: number) => boolean): void;
  /** Keys outside `known`: the first few and how many. */
  otherKeys(known: ReadonlySet<string>): { names: string[]; count: number };
  /** The document as one value (for schemas that are not objects). */
  whole(): unknown;
}

function kindOfValue(v: unknown): JsonKind {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'object' ? 'object' : t === 'string' ? 'string' : t === 'boolean' ? 'boolean' : 'number';
}

function valueSource(value: unknown): Source {
  const kind = kindOfValue(value);
  const obj = (kind === 'object' ? value : {}) as Record<string, unknown>;
  const has = (k: string) => Object.prototype.hasOwnProperty.call(obj, k);
  return {
    kind,
    has,
    kindOf: (k) => kindOfValue(obj[k]),
    value: (k) => (has(k) ? obj[k] : undefined),
    elements(k, visit) {
      const list = obj[k] as unknown[];
      for (let i = 0; i < list.length; i++) if (!visit(list[i], i)) return;
    },
    otherKeys(known) {
      const names: string[] = [];
      let count = 0;
      for (const k in obj) {
        if (known.has(k) || !has(k)) continue;
        if (names.length < 10) names.push(k);
        count++;
      }
      return { names, count };
    },
    whole: () => value,
  };
}

/**
 * For zod's type message ("expected array, received object") without parsing a huge value: an
 * empty container of the same kind. Only for containers: a scalar is parsed for real, since a
 * check such as a length could read it.
 */
function standIn(kind: 'object' | 'array'): unknown {
  return kind === 'object' ? {} : [];
}

/** The top-level keys of an object schema: what readJsonDocument should locate for it. */
export function schemaKeys(schema: zc.$ZodType): string[] {
  return schema._zod.def.type === 'object' ? Object.keys((schema as zc.$ZodObject)._zod.def.shape) : [];
}

/** What an element check finds wrong with one element: where inside it, and why. */
export interface ElementIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

type ElementRule = (fields: Readonly<Record<string, unknown>>, element: unknown, index: number) => ElementIssue | null;

/** The element checks made by elementCheck: the check -> its array's key and rule. */
const elementRules = new WeakMap<object, { readonly key: string; readonly rule: ElementRule }>();

/**
 * A document check that needs one element of the top-level array `key` at a time, with the
 * document's other fields (a file's version that allows or forbids a kind of record, say). On
 * a parsed value it is a zod check like any other (every element, in order); JsonDocument runs
 * it on each element as that is validated, so a document with only such checks need not keep
 * its elements (`check()` of a huge file stays near the file's size). Like the document's other
 * checks, its problems are reported only when nothing else is wrong.
 */
export function elementCheck<D extends object, K extends keyof D & string>(
  key: K,
  rule: (fields: Readonly<Omit<D, K>>, element: D[K] extends readonly (infer E)[] ? E : never, index: number) => ElementIssue | null,
): zc.$ZodCheck<D> {
  const check = z.superRefine((doc: D, ctx) => {
    (doc[key] as readonly unknown[]).forEach((element, i) => {
      const found = rule(doc, element as never, i);
      if (found) ctx.addIssue({ code: 'custom', path: [key, i, ...found.path], message: found.message, input: element });
    });
  });
  elementRules.set(check, { key, rule: rule as unknown as ElementRule });
  return check;
}

/** What validating an object schema piece by piece needs, derived once per schema. */
interface Plan {
  readonly keys: readonly string[];
  readonly keySet: ReadonlySet<string>;
  /** Top-level arrays: their element schema and their own checks (lengths). */
  readonly lists: ReadonlyMap<string, { readonly schema: zc.$ZodType; readonly element: zc.$ZodType; readonly checks: zc.$ZodType | null }>;
  /** The other fields, as a plain object schema without the document's checks. */
  readonly envelope: zc.$ZodType;
  readonly strict: boolean;
  /** The document's own checks (unique ids), run on the assembled value. */
  readonly checks: zc.$ZodType | null;
  /** The document's element checks (elementCheck), by array key: run element by element. */
  readonly rules: ReadonlyMap<string, readonly ElementRule[]>;
}

const plans = new WeakMap<zc.$ZodType, Plan | null>();

function checksOnly(checks: readonly zc.$ZodCheck<never>[] | undefined): zc.$ZodType | null {
  return checks?.length ? z.unknown().check(...(checks as zc.$ZodCheck<unknown>[])) : null;
}

function planFor(schema: zc.$ZodType): Plan | null {
  if (plans.has(schema)) return plans.get(schema)!;
  let plan: Plan | null = null;
  const def = schema._zod.def;
  if (def.type === 'object') {
    const o = schema as zc.$ZodObject;
    const shape = o._zod.def.shape;
    const keys = Object.keys(shape);
    const lists = new Map<string, { schema: zc.$ZodType; element: zc.$ZodType; checks: zc.$ZodType | null }>();
    const rest: Record<string, zc.$ZodType> = {};
    for (const k of keys) {
      const field = shape[k]!;
      if (field._zod.def.type === 'array') {
        const arr = field as zc.$ZodArray;
        lists.set(k, { schema: field, element: arr._zod.def.element, checks: checksOnly(arr._zod.def.checks) });
      } else rest[k] = field;
    }
    const rules = new Map<string, ElementRule[]>();
    const others: zc.$ZodCheck<never>[] = [];
    for (const check of o._zod.def.checks ?? []) {
      const r = elementRules.get(check);
      if (r && lists.has(r.key)) rules.set(r.key, [...(rules.get(r.key) ?? []), r.rule]);
      else others.push(check as zc.$ZodCheck<never>);
    }
    plan = {
      keys,
      keySet: new Set(keys),
      lists,
      envelope: z.object(rest as Record<string, z.ZodMiniType>),
      strict: o._zod.def.catchall?._zod.def.type === 'never',
      checks: checksOnly(others),
      rules,
    };
  }
  plans.set(schema, plan);
  return plan;
}

/** zod's words for unknown keys (quoted as zod quotes them), with a bound on how many are named. */
function unrecognized(names: readonly string[], count: number): string {
  const listed = names.map((k) => `"${k}"`).join(', ');
  return `Unrecognized key${count === 1 ? '' : 's'}: ${listed}${count > names.length ? ` and ${count - names.length} more` : ''}`;
}

/**
 * A JSON document on its way in: from an already parsed value, or from bytes (readDocument.ts:
 * checked for encoding and syntax, members located but not parsed). `validate` checks it against a schema.
 */
export class JsonDocument {
  private constructor(
    readonly file: string,
    private readonly source: Source,
  ) {}

  static fromValue(file: string, value: unknown): JsonDocument {
    return new JsonDocument(file, valueSource(value));
  }

  /** A document read some other way (from bytes: readDocument.ts). */
  static fromSource(file: string, source: Source): JsonDocument {
    return new JsonDocument(file, source);
  }

  /** A top-level member's value (parsed now), undefined when absent or when the document is not an object. */
  member(key: string): unknown {
    return this.source.kind === 'object' ? this.source.value(key) : undefined;
  }

  /** The `format` and `version` fields, read without trusting anything else. */
  sniff(): { format?: string; version?: unknown } {
    const format = this.member('format');
    return { format: typeof format === 'string' ? format : undefined, version: this.member('version') };
  }

  /** Validates against `schema`, listing at most `limit` problems; stops looking after that. */
  validate<S extends zc.$ZodType>(schema: S, limit: number = MAX_PROBLEMS_PER_FILE): Parsed<zc.output<S>> {
    const r = this.run(schema, limit, true);
    return r.ok ? { ok: true, value: r.value as zc.output<S> } : r;
  }

  /**
   * Validates like validate() without keeping the arrays' elements, for when nothing needs them
   * afterwards (`richhf validate` of a file on its own): a huge file then costs little more
   * than its bytes. Gives the small fields and each array's length. A schema whose arrays or
   * whole need their own checks (lengths, unique ids) keeps them anyway, to run those.
   * `visit` sees each valid element as it is checked (its array's key, the parsed element, its
   * index), for checks of the elements that need not keep them; the document may still fail after.
   */
  check(
    schema: zc.$ZodType,
    limit: number = MAX_PROBLEMS_PER_FILE,
    visit?: (key: string, element: unknown, index: number) => void,
  ): { ok: true; fields: Readonly<Record<string, unknown>>; lengths: Readonly<Record<string, number>> } | ({ ok: false } & ProblemReport) {
    const r = this.run(schema, limit, false, visit);
    return r.ok ? { ok: true, fields: r.value as Record<string, unknown>, lengths: r.lengths } : r;
  }

  private run(
    schema: zc.$ZodType,
    limit: number,
    keep: boolean,
    visit?: (key: string, element: unknown, index: number) => void,
  ): { ok: true; value: unknown; lengths: Record<string, number> } | ({ ok: false } & ProblemReport) {
    const { file, source } = this;
    const problems = new Problems(limit);
    const issues = (prefix: readonly PropertyKey[], error: zc.$ZodError): boolean => {
      for (const issue of error.issues) {
        if (!problems.add(file, formatPath([...prefix, ...issue.path]), issue.message)) return false;
      }
      return true;
    };
    const fail = () => ({ ok: false as const, ...problems.report() });

    const plan = planFor(schema);
    if (!plan) {
      // Not an object schema: no pieces to split into; parse and validate the value whole.
      const r = zc.safeParse(schema, source.whole(), { error: errorMap });
      if (r.success) return { ok: true, value: r.data, lengths: {} };
      return issues([], r.error) ? fail() : stopped();
    }
    if (source.kind !== 'object') {
      // zod's own message ("expected object, received array"), without parsing a huge value.
      const r = zc.safeParse(schema, source.kind === 'array' ? standIn('array') : source.whole(), { error: errorMap });
      if (!r.success) issues([], r.error);
      return fail();
    }

    // 1. The small fields, in one go.
    const envelopeIn: Record<string, unknown> = {};
    for (const k of plan.keys) if (!plan.lists.has(k) && source.has(k)) envelopeIn[k] = source.value(k);
    const envelope = zc.safeParse(plan.envelope, envelopeIn, { error: errorMap });
    if (!envelope.success && !issues([], envelope.error)) return stopped();
    if (plan.strict) {
      const others = source.otherKeys(plan.keySet);
      if (others.count > 0 && !problems.add(file, '', unrecognized(others.names, others.count))) return stopped();
    }

    // 2. The arrays, element by element (and the element checks on each valid one, when the other fields are valid).
    const lists = new Map<string, unknown[]>();
    const lengths: Record<string, number> = {};
    if (plan.checks) keep = true; // the document's checks read the elements
    const ruleFields = envelope.success ? (envelope.data as Record<string, unknown>) : null;
    // Element checks' problems wait until everything else is known valid; one more than a report lists is enough.
    const ruleIssues: { path: PropertyKey[]; message: string }[] = [];
    for (const [key, list] of plan.lists) {
      const rules = ruleFields ? plan.rules.get(key) : undefined;
      if (!source.has(key) || source.kindOf(key) !== 'array') {
        const r = zc.safeParse(list.schema, source.has(key) && source.kindOf(key) === 'object' ? standIn('object') : source.value(key), { error: errorMap });
        if (!r.success && !issues([key], r.error)) return stopped();
        continue;
      }
      const out: unknown[] = [];
      const keepThis = keep || list.checks !== null;
      let count = 0;
      let room = true;
      let failed = false;
      source.elements(key, (v, i) => {
        const r = zc.safeParse(list.element, v, { error: errorMap });
        count++;
        if (r.success) {
          if (keepThis) out.push(r.data);
          visit?.(key, r.data, i);
          if (rules && ruleIssues.length <= limit)
            for (const rule of rules) {
              const found = rule(ruleFields!, r.data, i);
              if (found) ruleIssues.push({ path: [key, i, ...found.path], message: found.message });
            }
        } else {
          failed = true;
          room = issues([key, i], r.error);
        }
        return room;
      });
      if (!room) return stopped();
      // Like zod, the array's own checks (lengths) look at it only when its elements are valid.
      if (list.checks && !failed) {
        const r = zc.safeParse(list.checks, out, { error: errorMap });
        if (!r.success && !issues([key], r.error)) return stopped();
      }
      lengths[key] = count;
      if (keep) lists.set(key, out);
    }
    if (problems.has()) return fail();
    for (const issue of ruleIssues) if (!problems.add(file, formatPath(issue.path), issue.message)) return stopped();
    if (problems.has()) return fail();

    // 3. The whole, in the schema's key order (arrays left out when not kept), and the document's own checks.
    const fields = envelope.success ? (envelope.data as Record<string, unknown>) : {};
    const value: Record<string, unknown> = {};
    for (const k of plan.keys) {
      if (lists.has(k)) value[k] = lists.get(k);
      else if (Object.prototype.hasOwnProperty.call(fields, k)) value[k] = fields[k];
    }
    if (plan.checks) {
      const r = zc.safeParse(plan.checks, value, { error: errorMap });
      if (!r.success) return issues([], r.error) ? fail() : stopped();
    }
    return { ok: true, value, lengths };

    function stopped() {
      problems.stop(file);
      return fail();
    }
  }
}
