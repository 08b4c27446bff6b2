import { MessageStatusRepository } from '@korpu/tracking';
import { ClaimHolder, HOLDER_HEARTBEAT_MS } from './claim-holder';

describe('ClaimHolder', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('says it is alive before the app serves, then every few seconds, and stops on shutdown', async () => {
    const beats: string[] = [];
    const holder = new ClaimHolder({ markHolderAlive: async (id: string) => void beats.push(id) } as unknown as MessageStatusRepository);
    await holder.onApplicationBootstrap();
    expect(beats).toEqual([holder.id]);
    await jest.advanceTimersByTimeAsync(HOLDER_HEARTBEAT_MS * 3);
    expect(beats).toHaveLength(4);
    holder.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(HOLDER_HEARTBEAT_MS * 3);
    expect(beats).toHaveLength(4);
    expect(HOLDER_HEARTBEAT_MS * 3).toBeLessThanOrEqual(15_000);
  });

  it('keeps going when the database does not answer (its claims may then be taken over), and is a new holder each start', async () => {
    let up = false;
    let beats = 0;
    const repository = { markHolderAlive: async () => { if (!up) throw new Error('database down'); beats++; } } as unknown as MessageStatusRepository;
    const holder = new ClaimHolder(repository);
    await expect(holder.onApplicationBootstrap()).resolves.toBeUndefined();
    up = true;
    await jest.advanceTimersByTimeAsync(HOLDER_HEARTBEAT_MS);
    expect(beats).toBe(1);
    holder.onApplicationShutdown();
    expect(new ClaimHolder(repository).id).not.toBe(holder.id);
  });
});
