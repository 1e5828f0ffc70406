/**
 * access.ts is the one declaration of who may do what on a broker: the embedded broker asks it,
 * mosquitto gets it as dynsec roles. Both must read a rule the same way: as MQTT topic matching,
 * with a subscription filter matched against a rule as if it were a topic (mosquitto's way).
 */
import assert from 'node:assert/strict';
import { topics } from '../../platform/protocol/topics';
import { accessRules, filterMatches, mayPublish, maySubscribe, type Account } from '../../platform/broker/access';
import { dynsecAcls } from '../../platform/broker/mosquitto-dynsec';

const thing: Account = { kind: 'thing', thingId: 't1' };
const tool: Account = { kind: 'tool', scopes: ['read'] };

describe('platform broker access rules', () => {
  it('match topics as MQTT does: + one level, a final # the parent and below, no wildcard over a leading $', () => {
    const cases: Array<[string, string, boolean]> = [
      ['glp/0/t1/fb/#', 'glp/0/t1/fb/=agent/status', true],
      ['glp/0/t1/fb/#', 'glp/0/t1/fb', true],
      ['glp/0/t1/fb/#', 'glp/0/t1/fbx', false],
      ['glp/0/t1/fb/#', 'glp/0/t2/fb/x', false],
      ['glp/0/+/fb/#', 'glp/0/t2/fb/x', true],
      ['glp/0/+/fb/#', 'glp/0/+/fb/#', true],
      ['glp/0/+/fb/#', 'glp/0/#', false],
      ['glp/0/+/fb/#', 'glp/0/+/+/#', false],
      ['#', '$SYS/x', false],
      ['+/x', '$share/x', false],
      ['a/+', 'a/b/c', false],
      ['a/+', 'a/', true],
    ];
    for (const [filter, topic, expected] of cases) assert.equal(filterMatches(filter, topic), expected, `${filter} ~ ${topic}`);
  });

  it('a Thing publishes only its own feedback and events, and subscribes only within its own requests', () => {
    assert.deepEqual(['glp/0/t1/fb/=agent/status', 'glp/0/t1/ev/info', 'glp/0/t1/rq/=agent/desired', 'glp/0/t2/fb/x', 'glp/0/t1', '$CONTROL/dynamic-security/v1'].map((t) => mayPublish(thing, t)), [true, true, false, false, false, false]);
    assert.deepEqual(['glp/0/t1/rq/#', 'glp/0/t1/rq/=agent/desired', 'glp/0/+/rq/#', 'glp/0/t1/#', 'glp/0/t2/rq/#', '#', '$share/g/glp/0/t1/rq/#', 'glp/0/t1/fb/#'].map((f) => maySubscribe(thing, f)), [true, true, false, false, false, false, false, false]);
  });

  it('a tool reads any feedback and events and publishes only JS Shell requests; the platform does anything', () => {
    assert.deepEqual(['glp/0/+/fb/#', 'glp/0/t1/ev/info', 'glp/0/+/ev/=shell/#', 'glp/0/+/rq/#', 'glp/0/t1/rq/=shell/do', 'glp/0/#', '$SYS/#'].map((f) => maySubscribe(tool, f)), [true, true, true, false, false, false, false]);
    assert.deepEqual(['glp/0/t1/rq/=shell/do', 'glp/0/t1/fb/x', 'glp/0/t1/rq/=agent/desired', 'glp/0/t1/rq/=shell/do/x', 'glp/0/t1/ev/=shell/x', 'glp/0/t1/rq/=shell'].map((t) => mayPublish(tool, t)), [true, false, false, false, false, false]);
    assert.equal(accessRules({ kind: 'platform' }), 'everything');
    // The platform's change notices: tools follow them; only the platform sends them.
    assert.equal(maySubscribe(tool, topics.changes), true);
    assert.equal(mayPublish(tool, topics.changes), false);
    assert.equal(mayPublish(thing, topics.changes), false);
    assert.equal(mayPublish({ kind: 'platform' }, '$CONTROL/dynamic-security/v1'), true);
  });

  it("become mosquitto dynsec ACLs filter for filter: each subscribe rule also the only thing delivered", () => {
    assert.deepEqual(dynsecAcls(thing), [
      { acltype: 'publishClientSend', topic: 'glp/0/t1/fb/#', allow: true },
      { acltype: 'publishClientSend', topic: 'glp/0/t1/ev/#', allow: true },
      { acltype: 'subscribePattern', topic: 'glp/0/t1/rq/#', allow: true },
      { acltype: 'publishClientReceive', topic: 'glp/0/t1/rq/#', allow: true },
    ]);
    assert.deepEqual(dynsecAcls(tool).map((a) => `${a.acltype} ${a.topic}`), ['publishClientSend glp/0/+/rq/=shell/do', 'subscribePattern glp/0/+/fb/#', 'publishClientReceive glp/0/+/fb/#', 'subscribePattern glp/0/+/ev/#', 'publishClientReceive glp/0/+/ev/#']);
    assert.ok(dynsecAcls({ kind: 'platform' }).some((a) => a.acltype === 'publishClientSend' && a.topic === '$CONTROL/dynamic-security/#'));
  });
});
