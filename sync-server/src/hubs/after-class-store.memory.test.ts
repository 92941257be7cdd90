import { afterClassStoreContract } from './after-class-store.contract';
import { createMemoryAfterClassStore } from './memory-after-class-store';

afterClassStoreContract('memory', async () => createMemoryAfterClassStore());
