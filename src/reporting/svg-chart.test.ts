import { describe, expect, it } from 'vitest';
import { niceTicks, svgChart } from './svg-chart.js';

describe('svgChart', () => {
  it('draws one path per series with a legend, and escapes names', () => {
    const svg = svgChart(
      [
        { name: 'Dixon-Coles <xi>', points: [[0, 0.2], [1, 0.21], [2, 0.19]] },
        { name: 'Bet365', points: [[0, 0.19], [2, 0.195]], dashed: true },
      ],
      { title: 'Cumulative RPS', xLabel: 'match', yLabel: 'RPS' },
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('Dixon-Coles &lt;xi&gt;');
    expect(svg).not.toContain('<xi>');
    expect(svg).toContain('stroke-dasharray="6 3"');
  });

  it('sizes calibration markers by bin weight and draws the diagonal', () => {
    const svg = svgChart([{ name: 'home', points: [[0.1, 0.12], [0.5, 0.48]], weights: [10, 1000] }], {
      title: 'Calibration', xLabel: 'predicted', yLabel: 'observed', xDomain: [0, 1], yDomain: [0, 1], diagonal: true,
    });
    const radii = [...svg.matchAll(/<circle [^>]*r="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(radii).toHaveLength(2);
    expect(radii[1]!).toBeGreaterThan(radii[0]!);
    expect(svg).toContain('stroke-dasharray="4 4"');
  });
});

describe('niceTicks', () => {
  it('picks round steps', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.18, 0.22, 4)).toEqual([0.18, 0.2, 0.22]);
    expect(niceTicks(2015, 2023, 6)).toEqual([2016, 2018, 2020, 2022]);
  });
});
