// The reference side of bench/bench_opening_hours.py: opening_hours.js answering the same
// questions on the same expressions and instants.
//
// Reads one JSON job on stdin:
//   {"expressions": [...], "instants": [epoch ms, ...], "next_instants": N, "cold_instants": N,
//    "repeat": N}
// and prints one JSON result: per expression the state and next change at each instant
// (for the agreement check) and the seconds spent, measured like the Python side:
//   state   getState(t) on an already parsed expression, every instant
//   next    getNextChange(t) on an already parsed expression, the first next_instants
//   cold    parse + getState(t) + getNextChange(t), the first cold_instants
// Each is timed `repeat` times and the fastest counts, as on the Python side.
// Run with TZ set to the stations' zone (the bench sets TZ=Asia/Shanghai).
'use strict';

const OpeningHours = require('opening_hours');

// Hangzhou: opening_hours.js then uses its own list of Chinese public holidays.
const NOMINATIM = { lat: 30.27, lon: 120.15, address: { country_code: 'cn', state: 'Zhejiang' } };

function seconds(action, repeat) {
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    const started = process.hrtime.bigint();
    action();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
  }
  return best;
}

function measure(expression, instants, nextCount, coldCount, repeat) {
  const parsed = new OpeningHours(expression, NOMINATIM);
  const states = new Array(instants.length);
  const changes = new Array(nextCount);
  const result = { expression };
  result.state_seconds = seconds(() => {
    for (let i = 0; i < instants.length; i++) states[i] = parsed.getState(instants[i]);
  }, repeat);
  result.next_seconds = seconds(() => {
    for (let i = 0; i < nextCount; i++) changes[i] = parsed.getNextChange(instants[i]);
  }, repeat);
  result.cold_seconds = seconds(() => {
    for (let i = 0; i < coldCount; i++) {
      const fresh = new OpeningHours(expression, NOMINATIM);
      fresh.getState(instants[i]);
      fresh.getNextChange(instants[i]);
    }
  }, repeat);
  result.states = states;
  result.changes = changes.map((c) => (c === undefined ? null : c.getTime()));
  return result;
}

function main() {
  const chunks = [];
  process.stdin.on('data', (chunk) => chunks.push(chunk));
  process.stdin.on('end', () => {
    const job = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const instants = job.instants.map((ms) => new Date(ms));
    const results = job.expressions.map((expression) =>
      measure(expression, instants, job.next_instants, job.cold_instants, job.repeat));
    process.stdout.write(JSON.stringify({ node: process.version, results }));
  });
}

main();
