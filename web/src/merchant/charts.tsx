import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { yuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { Row } from './dashboard.tsx';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** GMV (bars) and paid orders (line) per day; a data table says the same to screen readers. */
export default function Charts({ days }: { days: Row[] }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.setOption({
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => String(v) },
      legend: { top: 0 },
      grid: { left: 48, right: 36, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: days.map((d) => (d.key ?? '').slice(5)) },
      yAxis: [
        { type: 'value', name: '¥', axisLabel: { formatter: (v: number) => `${Math.round(v)}` } },
        { type: 'value', name: t('m.dash.orders'), minInterval: 1 },
      ],
      series: [
        { name: 'GMV', type: 'bar', data: days.map((d) => d.gmv_minor / 100), itemStyle: { color: '#fa5151' }, tooltip: { valueFormatter: (v: unknown) => `¥${Number(v).toFixed(2)}` } },
        { name: t('m.dash.orders'), type: 'line', yAxisIndex: 1, data: days.map((d) => d.orders), itemStyle: { color: '#1f6feb' } },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [days, t]);
  return (
    <>
      <div ref={ref} className="chart" role="img" aria-label={t('m.dash.trend')} />
      <table className="sr-only">
        <caption>{t('m.dash.trend')}</caption>
        <thead><tr><th scope="col">{t('m.dash.day')}</th><th scope="col">GMV</th><th scope="col">{t('m.dash.orders')}</th></tr></thead>
        <tbody>{days.map((d) => <tr key={d.key}><th scope="row">{d.key}</th><td>{yuan(d.gmv_minor)}</td><td>{d.orders}</td></tr>)}</tbody>
      </table>
    </>
  );
}
