import { SimulatorControls } from './simulator-controls';

const answer = (body: string) => ({ status: 200, contentType: 'application/json', body });

describe('SimulatorControls memory of answered message ids', () => {
  it('answers a redelivered id from memory and counts it as a duplicate', () => {
    const controls = new SimulatorControls();
    expect(controls.remembered('01A')).toBeUndefined();
    controls.remember('01A', answer('{"n":1}'));
    expect(controls.remembered('01A')).toEqual(answer('{"n":1}'));
    expect({ received: controls.received, duplicates: controls.duplicates }).toEqual({ received: 2, duplicates: 1 });
  });

  it('keeps a bounded window: the oldest answers are forgotten first, the recent ones kept', () => {
    const controls = new SimulatorControls();
    for (let i = 0; i < 20_001; i += 1) controls.remember(`id-${i}`, answer(String(i)));
    expect(controls.remembered('id-0')).toBeUndefined();
    expect(controls.remembered('id-1')).toEqual(answer('1'));
    expect(controls.remembered('id-20000')).toEqual(answer('20000'));
  });
});
