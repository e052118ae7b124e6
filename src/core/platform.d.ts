// The few globals that every runtime we target (browsers, workers, Node >= 20) provides.
// src/core is compiled without the DOM library and without Node types; whatever it needs
// from the platform is declared here, and nothing else is reachable.
declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
declare const console: { log(...a: unknown[]): void; warn(...a: unknown[]): void; error(...a: unknown[]): void };
declare function btoa(data: string): string;
declare function atob(data: string): string;
/** The WHATWG URL parser (what browsers use to read an href), for the pack path rule. */
declare class URL {
  constructor(input: string, base?: string);
  readonly href: string;
  readonly protocol: string;
  readonly host: string;
  readonly pathname: string;
}
/** Cancellation (the subset of AbortSignal that core uses). */
declare interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
