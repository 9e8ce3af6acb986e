/** A small line chart of recent values; the label names it for screen readers with the latest value. */
export function Sparkline({ values, label, latest, width = 240, height = 48 }: { values: number[]; label: string; latest: string; width?: number; height?: number }) {
  const max = Math.max(1e-9, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - (v / max) * (height - 2) - 1).toFixed(1)}`).join(' ');
  return (
    <figure className="spark">
      <figcaption>
        {label}: <strong>{latest}</strong>
      </figcaption>
      <svg width={width} height={height} role="img" aria-label={`${label} over time, now ${latest}`}>
        <polyline points={points} fill="none" stroke="var(--accent)" strokeWidth="1.5" />
      </svg>
    </figure>
  );
}
