import assert from 'node:assert/strict';
import { RestartBudget } from '../../client/language-client/restart-budget';

describe('client: restarting a crashed language server', () => {
  it('restarts 4 times in 3 minutes, then gives up', () => {
    let now = 0;
    const budget = new RestartBudget(4, 180_000, () => now);
    const decisions = [0, 10_000, 20_000, 30_000, 40_000].map((t) => {
      now = t;
      return budget.recordStop();
    });
    assert.deepEqual(decisions, [
      { restart: true, stops: 1 },
      { restart: true, stops: 2 },
      { restart: true, stops: 3 },
      { restart: true, stops: 4 },
      { restart: false, stops: 5 },
    ]);
  });

  it('counts only the stops of the last 3 minutes', () => {
    let now = 0;
    const budget = new RestartBudget(4, 180_000, () => now);
    for (const t of [0, 60_000, 120_000, 170_000]) {
      now = t;
      assert.equal(budget.recordStop().restart, true);
    }
    now = 185_000; // the stop at 0 has left the window
    assert.deepEqual(budget.recordStop(), { restart: true, stops: 4 });
    now = 186_000;
    assert.deepEqual(budget.recordStop(), { restart: false, stops: 5 });
  });

  it('starts afresh when the user restarts the server', () => {
    const budget = new RestartBudget(1, 180_000, () => 0);
    budget.recordStop();
    assert.equal(budget.recordStop().restart, false);
    budget.reset();
    assert.equal(budget.recordStop().restart, true);
  });
});
