import { liveBusContract } from './bus.contract';
import { createMemoryBus } from './memory-bus';

liveBusContract('memory', async () => {
  const bus = createMemoryBus({ memoTtlMs: 60_000 });
  return { bus, other: bus, dispose: () => bus.close() };
});
