import { describe, expect, it } from 'vitest';
import { cpuPerTransfer } from './_devnetCpu.ts';
import { metricValue } from './_devnetHttp.ts';

describe('devnet CPU per transfer', () => {
  it('reads an unlabelled Prometheus sample and nothing else', () => {
    const text = '# HELP process_cpu_seconds_total x\nprocess_cpu_seconds_total 12.5\nprocess_cpu_seconds_total_extra 3\n';
    expect(metricValue(text, 'process_cpu_seconds_total')).toBe(12.5);
    expect(metricValue(text, 'process_cpu_user_seconds_total')).toBeUndefined();
    expect(metricValue('process_cpu_seconds_total NaN\n', 'process_cpu_seconds_total')).toBeUndefined();
  });

  it('averages the nodes and divides by the transfers', () => {
    const spent = cpuPerTransfer([10, 20], [12, 26], 1_000);
    expect(spent?.totalSeconds).toBe(8);
    expect(spent?.msPerTransfer).toBe(4);
  });

  it('gives no figure when a reading is missing, went backwards (a restart), or nothing committed', () => {
    expect(cpuPerTransfer([10, undefined], [12, 26], 1_000)).toBeUndefined();
    expect(cpuPerTransfer([10, 20], [12, 19], 1_000)).toBeUndefined();
    expect(cpuPerTransfer([10, 20], [12, 26], 0)).toBeUndefined();
    expect(cpuPerTransfer([10], [12, 26], 10)).toBeUndefined();
  });
});
