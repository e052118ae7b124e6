import type { SchemaElement } from 'hyparquet';
import type { ImageBytes } from './imageFile.ts';

/**
 * A column's type, declared once and turned into the three forms that must agree: the Parquet
 * schema (what the bytes are), the `huggingface` key-value metadata (what `datasets` decodes
 * them as) and the dataset card's YAML `dataset_info.features` (what the hub shows).
 *
 * The forms are those of the `datasets` library (version 5, src/datasets/features/features.py):
 * `Features.to_dict()` gives `{"dtype": "string", "_type": "Value"}`, `{"_type": "Image"}`,
 * `{"feature": …, "_type": "List"}` and plain objects for structs; `Features._to_yaml_list()`
 * gives `dtype: string`, `dtype: image`, `list: int32` (a list of a plain value), `list: [fields]`
 * (a list of structs) and `struct: [fields]`. An Image is stored as a struct of `bytes` (binary)
 * and `path` (string), as `Image.pa_type` declares.
 *
 * Every Parquet field is OPTIONAL and lists use the standard three-level LIST layout (`list` /
 * `element`), as pyarrow writes them: `datasets` keeps a metadata feature only where the Arrow
 * field read from the file equals the feature's own Arrow field, and those are all nullable.
 */
export type ValueType = 'string' | 'int32' | 'int64' | 'float64';

export type Feature =
  | { readonly kind: 'value'; readonly dtype: ValueType }
  | { readonly kind: 'image' }
  | { readonly kind: 'list'; readonly of: Feature }
  | { readonly kind: 'struct'; readonly fields: readonly Field[] };

export interface Field {
  readonly name: string;
  readonly feature: Feature;
}

export const value = (dtype: ValueType): Feature => ({ kind: 'value', dtype });
export const image: Feature = { kind: 'image' };
export const list = (of: Feature): Feature => ({ kind: 'list', of });
export const struct = (fields: readonly Field[]): Feature => ({ kind: 'struct', fields });

/** The stored value of an Image feature: the file's bytes and its name (null for none). */
export interface ImageValue {
  /** In memory, or read when written (the writer thread's images: imageFile.ts). */
  readonly bytes: ImageBytes;
  readonly path: string | null;
}

// ---- Parquet schema ----

function leaf(name: string, dtype: ValueType | 'binary'): SchemaElement {
  switch (dtype) {
    case 'string':
      return { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type: 'OPTIONAL' };
    case 'binary':
      return { name, type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' };
    case 'int32':
      return { name, type: 'INT32', repetition_type: 'OPTIONAL' };
    case 'int64':
      return { name, type: 'INT64', repetition_type: 'OPTIONAL' };
    case 'float64':
      return { name, type: 'DOUBLE', repetition_type: 'OPTIONAL' };
  }
}

/** The schema elements of one field, depth first (Parquet's flattened schema order). */
function fieldElements(name: string, f: Feature): SchemaElement[] {
  switch (f.kind) {
    case 'value':
      return [leaf(name, f.dtype)];
    case 'image':
      return [{ name, repetition_type: 'OPTIONAL', num_children: 2 }, leaf('bytes', 'binary'), leaf('path', 'string')];
    case 'list':
      return [
        { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        ...fieldElements('element', f.of),
      ];
    case 'struct':
      return [{ name, repetition_type: 'OPTIONAL', num_children: f.fields.length }, ...f.fields.flatMap((c) => fieldElements(c.name, c.feature))];
  }
}

/** The whole file's schema: a root named `schema` (as pyarrow names it), then every column. */
export function parquetSchema(columns: readonly Field[]): SchemaElement[] {
  return [{ name: 'schema', num_children: columns.length }, ...columns.flatMap((c) => fieldElements(c.name, c.feature))];
}

// ---- `huggingface` key-value metadata ----

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** `Features.to_dict()` of one feature. */
export function featureJson(f: Feature): Json {
  switch (f.kind) {
    case 'value':
      return { dtype: f.dtype, _type: 'Value' };
    case 'image':
      return { _type: 'Image' };
    case 'list':
      return { feature: featureJson(f.of), _type: 'List' };
    case 'struct':
      return Object.fromEntries(f.fields.map((c) => [c.name, featureJson(c.feature)]));
  }
}

/**
 * The value of the Parquet key-value entry `huggingface`, as `datasets`' ArrowWriter writes it
 * (`json.dumps({"info": {"features": …}})`: Python's separators `", "` and `": "`).
 */
export function huggingfaceMetadata(columns: readonly Field[]): string {
  return pythonJson({ info: { features: Object.fromEntries(columns.map((c) => [c.name, featureJson(c.feature)])) } });
}

/** JSON as Python's json.dumps writes it with its defaults (ASCII only, `, ` and `: `). */
export function pythonJson(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(pythonJson).join(', ')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${asciiString(k)}: ${pythonJson(x)}`)
      .join(', ')}}`;
  if (typeof v === 'string') return asciiString(v);
  return JSON.stringify(v);
}

function asciiString(s: string): string {
  return JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---- the card's YAML ----

/** `Features._to_yaml_list()` entries of one named field, as YAML lines indented by `indent` spaces. */
function yamlField(name: string, f: Feature, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const head = `${pad}- name: ${name}`;
  return [head, ...yamlBody(f, indent + 2)];
}

/** The lines after `- name:` (or after a list's own key) for a feature. */
function yamlBody(f: Feature, indent: number): string[] {
  const pad = ' '.repeat(indent);
  switch (f.kind) {
    case 'value':
      return [`${pad}dtype: ${f.dtype}`];
    case 'image':
      return [`${pad}dtype: image`];
    case 'list':
      if (f.of.kind === 'value') return [`${pad}list: ${f.of.dtype}`];
      if (f.of.kind === 'struct') return [`${pad}list:`, ...f.of.fields.flatMap((c) => yamlField(c.name, c.feature, indent))];
      if (f.of.kind === 'image') return [`${pad}list:`, `${pad}  dtype: image`];
      return [`${pad}list:`, ...yamlBody(f.of, indent + 2)];
    case 'struct':
      return [`${pad}struct:`, ...f.fields.flatMap((c) => yamlField(c.name, c.feature, indent))];
  }
}

/** `dataset_info.features` of the card: YAML lines at `indent` (the `features:` key not included). */
export function yamlFeatures(columns: readonly Field[], indent: number): string[] {
  return columns.flatMap((c) => yamlField(c.name, c.feature, indent));
}
