import { createMemoryLimiter } from './memory-limiter';
import { throttleContract } from './throttle.contract';

throttleContract(async () => ({ limiter: createMemoryLimiter(), dispose: async () => {} }));
