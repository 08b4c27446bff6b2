import { selfTimes } from './cpu-profile-top';

const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });

describe('selfTimes', () => {
  it('adds up the sampled time of each function (the time until the next sample), most first, one row per function and place', () => {
    const profile = {
      startTime: 0,
      endTime: 6000,
      nodes: [
        { id: 1, callFrame: frame('(root)', '') },
        { id: 2, callFrame: frame('encode', 'file:///repo/node_modules/kafkajs/src/encoder.js', 9) },
        { id: 3, callFrame: frame('(idle)', '') },
        { id: 4, callFrame: frame('encode', 'file:///repo/node_modules/kafkajs/src/encoder.js', 9) },
      ],
      samples: [2, 3, 4, 2],
      timeDeltas: [0, 1000, 2000, 3000],
    };
    const { totalMs, rows } = selfTimes(profile);
    expect(rows).toEqual([
      { fn: 'encode', at: 'kafkajs/src/encoder.js:10', ms: 4 },
      { fn: '(idle)', at: '(native)', ms: 2 },
    ]);
    expect(totalMs).toBe(6);
  });
});
