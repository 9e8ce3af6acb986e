// @vitest-environment jsdom
// jsdom, not happy-dom: happy-dom 21's DOM misleads DOMPurify (it keeps <script> and drops <h1>), so a
// sanitizer test there would test happy-dom. jsdom behaves like the browser here.
import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../../../e2e/fixtures/fake-hub/dataset';
import { renderMarkdown } from './markdown';

function dom(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

describe('README rendering', () => {
  it('keeps the Markdown and drops scripts, event handlers and javascript: links', () => {
    const readme = buildDataset().find((r) => r.name === 'unicode-demo')!.full_description!;
    const html = renderMarkdown(readme);
    const el = dom(html);
    expect(el.querySelector('h4')?.textContent).toBe('Ünïcödé démo 🚢');
    expect(el.querySelector('h1, h2, h3')).toBeNull();
    expect(el.querySelector('img')).toBeNull();
    expect(el.textContent).toContain('日本語のテキスト');
    expect(el.querySelector('table strong')?.textContent).toBe('bold');
    expect(el.querySelector('script')).toBeNull();
    expect(html).not.toMatch(/<script|onerror|javascript:|alert\(/i);
    for (const node of el.querySelectorAll('*')) {
      for (const attr of node.getAttributeNames()) expect(attr.startsWith('on')).toBe(false);
    }
    // The javascript: link keeps its words but goes nowhere.
    const link = [...el.querySelectorAll('a')].find((a) => a.textContent === 'click me');
    expect(link?.getAttribute('href') ?? null).toBeNull();
  });

  it('sends web links to a new window without an opener', () => {
    const el = dom(renderMarkdown('See [the docs](https://docs.example.com/x) and <a href="http://e.example" onclick="steal()">this</a>.'));
    const links = [...el.querySelectorAll('a')];
    expect(links).toHaveLength(2);
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toContain('noopener');
      expect(a.hasAttribute('onclick')).toBe(false);
    }
  });

  it('keeps https images and drops ones that point into Hub\'s own site', () => {
    const el = dom(renderMarkdown('![logo](https://img.example/logo.png) ![rel](logo.png) <img src="http://plain.example/x.png">'));
    expect([...el.querySelectorAll('img')].map((i) => i.getAttribute('src'))).toEqual(['https://img.example/logo.png']);
  });

  it('drops forms, iframes and inline styles that could dress up as Berth', () => {
    const html = renderMarkdown('<form action="https://evil.example"><input name="password"><button>Log in</button></form><iframe src="https://evil.example"></iframe><p style="position:fixed">x</p><svg><script>alert(1)</script></svg>');
    expect(html).not.toMatch(/<form|<input|<button|<iframe|style=|<script/i);
  });

  it('renders nothing for missing or blank READMEs (the page shows an empty state instead)', () => {
    expect(renderMarkdown(null)).toBe('');
    expect(renderMarkdown(undefined)).toBe('');
    expect(renderMarkdown('  \n ')).toBe('');
  });
});
