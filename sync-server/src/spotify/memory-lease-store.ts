export { createMemoryLeaseStore } from '../grants/memory-lease-store';
