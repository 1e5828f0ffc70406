import assert from 'node:assert/strict';
import { nextSunEvent, parseOffset, sunTimes } from '../../../runtime/clock/sun';
import { localParts, localToInstant } from '../../../runtime/clock/time-zone';

const STOCKHOLM = { lat: 59.3293, lon: 18.0686, tz: 'Europe/Stockholm' };
const NEW_YORK = { lat: 40.7128, lon: -74.006, tz: 'America/New_York' };
const TROMSO = { lat: 69.65, lon: 18.96, tz: 'Europe/Oslo' };
const MINUTE = 60_000;

/** Asserts `t` is on the given local date at about hh:mm (within `tolerance` minutes). */
function assertLocal(t: number | undefined, tz: string, date: string, hhmm: string, tolerance = 3): void {
  assert.notEqual(t, undefined);
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi] = hhmm.split(':').map(Number);
  const expected = localToInstant({ year: y, month: mo, day: d, hour: h, minute: mi }, tz);
  const diff = Math.abs((t as number) - expected) / MINUTE;
  const p = localParts(t as number, tz);
  assert.ok(diff <= tolerance, `expected ~${date} ${hhmm} ${tz}, got ${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} (${diff.toFixed(1)} min off)`);
}

describe('sunTimes', () => {
  it('Stockholm midsummer: sunrise ~03:30, sunset ~22:08 local', () => {
    const s = sunTimes(Date.UTC(2024, 5, 21, 12), STOCKHOLM.lat, STOCKHOLM.lon, STOCKHOLM.tz);
    assertLocal(s.sunrise, STOCKHOLM.tz, '2024-06-21', '03:30');
    assertLocal(s.sunset, STOCKHOLM.tz, '2024-06-21', '22:08');
  });

  it('uses the local calendar day, whatever time of it is given', () => {
    // 23:30 local on the 21st is already the 21st's evening; 00:10 local on the 21st is 22:10 UTC on the 20th.
    const late = sunTimes(localToInstant({ year: 2024, month: 6, day: 21, hour: 23, minute: 30 }, STOCKHOLM.tz), STOCKHOLM.lat, STOCKHOLM.lon, STOCKHOLM.tz);
    const early = sunTimes(localToInstant({ year: 2024, month: 6, day: 21, hour: 0, minute: 10 }, STOCKHOLM.tz), STOCKHOLM.lat, STOCKHOLM.lon, STOCKHOLM.tz);
    assertLocal(late.sunrise, STOCKHOLM.tz, '2024-06-21', '03:30');
    assert.deepEqual(early, late);
  });

  it('New York winter solstice: sunrise ~07:16 EST, sunset ~16:32 EST', () => {
    const s = sunTimes(Date.UTC(2024, 11, 21, 17), NEW_YORK.lat, NEW_YORK.lon, NEW_YORK.tz);
    assertLocal(s.sunrise, NEW_YORK.tz, '2024-12-21', '07:16');
    assertLocal(s.sunset, NEW_YORK.tz, '2024-12-21', '16:32');
  });

  it('Tromsø polar night: no sunrise or sunset in late December', () => {
    assert.deepEqual(sunTimes(Date.UTC(2024, 11, 21, 12), TROMSO.lat, TROMSO.lon, TROMSO.tz), { sunrise: undefined, sunset: undefined });
  });

  it('Tromsø midnight sun: no sunrise or sunset in late June', () => {
    assert.deepEqual(sunTimes(Date.UTC(2024, 5, 21, 12), TROMSO.lat, TROMSO.lon, TROMSO.tz), { sunrise: undefined, sunset: undefined });
  });

  it('rejects bad locations and zones', () => {
    assert.throws(() => sunTimes(0, 91, 0, 'UTC'), /latitude 91 is out of range; use -90 to 90/);
    assert.throws(() => sunTimes(0, 0, -181, 'UTC'), /longitude -181 is out of range; use -180 to 180/);
    assert.throws(() => sunTimes(0, 0, 0, 'Nowhere'), /unknown time zone/);
  });
});

describe('nextSunEvent', () => {
  const { lat, lon, tz } = STOCKHOLM;
  const noon21 = localToInstant({ year: 2024, month: 6, day: 21, hour: 12 }, tz);

  it('finds the next sunset, strictly after', () => {
    const sunset = nextSunEvent('sunset', noon21, lat, lon, tz);
    assertLocal(sunset, tz, '2024-06-21', '22:08');
    const following = nextSunEvent('sunset', sunset as number, lat, lon, tz);
    assertLocal(following, tz, '2024-06-22', '22:08');
  });

  it('finds tomorrow’s sunrise once today’s has passed', () => {
    assertLocal(nextSunEvent('sunrise', noon21, lat, lon, tz), tz, '2024-06-22', '03:30');
  });

  it('applies a negative offset', () => {
    const t = nextSunEvent('sunset', noon21, lat, lon, tz, parseOffset('-00:30'));
    assertLocal(t, tz, '2024-06-21', '21:38');
  });

  it('applies a positive offset that carries past midnight', () => {
    // Just after midnight, "sunset + 3h" from the evening before is still ahead.
    const justAfterMidnight = localToInstant({ year: 2024, month: 6, day: 22, hour: 0, minute: 30 }, tz);
    const t = nextSunEvent('sunset', justAfterMidnight, lat, lon, tz, 3 * 60 * MINUTE);
    assertLocal(t, tz, '2024-06-22', '01:08');
  });

  it('waits out a polar night for the first sunrise', () => {
    const t = nextSunEvent('sunrise', Date.UTC(2024, 11, 21, 12), TROMSO.lat, TROMSO.lon, TROMSO.tz);
    assert.notEqual(t, undefined);
    const p = localParts(t as number, TROMSO.tz);
    assert.equal(`${p.year}-${p.month}`, '2025-1');
    assert.ok(p.day >= 10 && p.day <= 20, `first sunrise on January ${p.day}`);
  });

  it('waits out a polar day for the first sunset (Svalbard, about two months)', () => {
    const tz2 = 'Arctic/Longyearbyen';
    const t = nextSunEvent('sunset', Date.UTC(2024, 5, 1), 78.22, 15.65, tz2);
    assert.notEqual(t, undefined);
    const p = localParts(t as number, tz2);
    assert.equal(p.month, 8);
    assert.ok(p.day >= 20, `first sunset on August ${p.day}`);
  });
});

describe('parseOffset', () => {
  it('reads signed HH:mm and minutes as milliseconds', () => {
    assert.equal(parseOffset('-00:30'), -30 * MINUTE);
    assert.equal(parseOffset('01:15'), 75 * MINUTE);
    assert.equal(parseOffset('+2:00'), 120 * MINUTE);
    assert.equal(parseOffset(-45), -45 * MINUTE);
    assert.equal(parseOffset(0), 0);
  });

  it('rejects anything else, saying what works', () => {
    for (const bad of ['30', '1:5', '00:60', 'soon', '']) {
      assert.throws(() => parseOffset(bad), /invalid sun offset .*; use "HH:mm" with an optional sign \(e\.g\. "-00:30", "01:15"\) or a number of minutes/, bad);
    }
    assert.throws(() => parseOffset(Number.POSITIVE_INFINITY), /invalid sun offset Infinity; use minutes/);
  });
});
