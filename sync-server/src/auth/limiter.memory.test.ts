import { limiterContract } from './limiter.contract';
import { createMemoryLimiter } from './memory-limiter';

limiterContract(async () => ({ limiter: createMemoryLimiter(), dispose: async () => {} }));
