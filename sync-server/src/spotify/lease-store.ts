/** Leases are shared by every provider (grants/lease-store.ts). */
export { isLease, type Lease, type LeaseAnswer, type LeaseStore } from '../grants/lease-store';
