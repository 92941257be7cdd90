// Pure sync core shared by the PWA and the sync server: clock, merge, sample codec, wire format,
// and the server's push rules (chunk check, push plan), kept here so they have one copy.
// bit-io.ts and testing/ are implementation details and stay unexported.
export * from './base64';
export * from './chunk-check';
export * from './hlc';
export * from './doc';
export * from './doc-values';
export * from './merge';
export * from './push-plan';
export * from './sample-codec';
export * from './wire';
