import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the parts the overview draws, so that the chunk stays small (echarts/core, not echarts).
echarts.use([
  LineChart,
  BarChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

/** Colours of the series, dark enough for text on white (WCAG AA) and apart for colour blindness. */
export const SERIES_COLOURS = ['#0b5cad', '#17663a', '#a4161a', '#7a5a00', '#5b3f8c', '#2d6a75', '#8a3b12'];

const DARK_COLOURS = ['#8cc4ff', '#7fd6a0', '#ff8a80', '#f2c75c', '#c9a7ff', '#7fd3e0', '#ffb37a'];

export interface ChartClick {
  seriesIndex: number;
  dataIndex: number;
}

/**
 * One ECharts chart. The canvas is a picture (`role="img"` with its label); the numbers it draws
 * are in the table next to it, each a link, and a click on a bar or a point follows the same link.
 */
export function Chart({
  option,
  label,
  onPick,
  height = 260,
  testId,
  dark = false,
}: {
  option: EChartsCoreOption;
  label: string;
  onPick?: (click: ChartClick) => void;
  height?: number;
  testId?: string;
  /** The wall screen's dark ground: ECharts' built-in dark theme, on a transparent background. */
  dark?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    if (!box.current) return;
    const c = echarts.init(box.current, dark ? 'dark' : undefined, { renderer: 'canvas' });
    c.on('click', (e) => {
      if (typeof e.seriesIndex === 'number' && typeof e.dataIndex === 'number')
        pick.current?.({ seriesIndex: e.seriesIndex, dataIndex: e.dataIndex });
    });
    chart.current = c;
    const resize = () => c.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      c.dispose();
      chart.current = null;
    };
  }, [dark]);

  useEffect(() => {
    chart.current?.setOption(
      {
        color: dark ? DARK_COLOURS : SERIES_COLOURS,
        backgroundColor: 'transparent',
        animation: false,
        ...option,
      },
      { notMerge: true },
    );
    chart.current?.resize();
  }, [option, height, dark]);

  return (
    <div
      ref={box}
      className="ov-chart"
      role="img"
      aria-label={label}
      data-testid={testId}
      style={{ height }}
    />
  );
}
