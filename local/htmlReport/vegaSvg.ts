// Vega-Lite specs rendered to SVG text at build time, in Node (no browser, no canvas): the page needs no script.
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Styling the page's CSS takes over (text, axes, grid follow the colour scheme): no background, no frame. */
const CONFIG: TopLevelSpec['config'] = {
  background: null as unknown as string,
  view: { stroke: null },
  font: 'system-ui, sans-serif',
  title: { fontSize: 14, anchor: 'start', subtitleFontSize: 11 },
  axis: { labelFontSize: 11, titleFontSize: 11 },
  legend: { labelFontSize: 11, titleFontSize: 11 },
};

/** A `<title>` inside every mark that has an aria-label (Vega-Lite's `description` channel): browsers show an
 * element's SVG title on hover, while the aria-label alone is read only by screen readers. */
export function withHoverTitles(svg: string): string {
  return svg.replace(
    /<(path|rect|line|circle|text)( aria-label="([^"]*)" role="graphics-symbol"[^>]*?)\/>/g,
    (_, tag: string, attributes: string, label: string) => `<${tag}${attributes}><title>${label}</title></${tag}>`,
  );
}

/** The chart as an SVG element, marks titled for hover. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile({ ...spec, config: { ...CONFIG, ...spec.config } }).spec), { renderer: 'none' });
  try {
    return withHoverTitles(await view.toSVG());
  } finally {
    view.finalize();
  }
}
