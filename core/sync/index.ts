// Pure sync core shared by the PWA and the sync server: clock, merge, sample codec, wire format.
// bit-io.ts and testing/ are implementation details and stay unexported.
export * from './hlc';
export * from './merge';
export * from './sample-codec';
export * from './wire';
