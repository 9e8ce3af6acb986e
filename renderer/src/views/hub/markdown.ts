import DOMPurify from 'dompurify';
import { Marked } from 'marked';

// Hub READMEs are written by anyone: marked keeps raw HTML as is, so everything it produces goes through
// DOMPurify before it reaches the DOM. The CSP forbids inline scripts too; this is the layer that also removes
// event handlers, javascript: URLs and forms that the CSP alone would leave visible or clickable.

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  // The README sits under the page's own headings (h1 view, h2 repository, h3 README): its "# Title" is an h4.
  walkTokens(token) {
    if (token.type === 'heading') token.depth = Math.min(6, token.depth + 3);
  },
});

let purifier: ReturnType<typeof DOMPurify> | null = null;

function purify(): ReturnType<typeof DOMPurify> {
  if (purifier) return purifier;
  const p = DOMPurify(window);
  // Links leave the app: a new window, which Electron hands to the user's browser, with no opener to reach back.
  p.addHook('afterSanitizeAttributes', (node) => {
    // Relative image paths point into Hub's site, not ours: they could only show as broken images.
    if (node.tagName === 'IMG' && !/^(https:\/\/|data:image\/)/i.test(node.getAttribute('src') ?? '')) {
      node.remove();
      return;
    }
    if (node.tagName === 'A') {
      const href = node.getAttribute('href') ?? '';
      if (/^https?:\/\//i.test(href)) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      } else if (!href.startsWith('#')) {
        // Relative links point into hub.docker.com's site, which this page is not: keep the text only.
        node.removeAttribute('href');
      }
    }
  });
  purifier = p;
  return p;
}

/** A README (untrusted Markdown) as HTML safe to put in the page. */
export function renderMarkdown(source: string | null | undefined): string {
  if (!source || !source.trim()) return '';
  let html: string;
  try {
    html = marked.parse(source, { async: false });
  } catch {
    // marked should not throw on any input; if it does, show the text rather than nothing.
    html = `<pre>${source.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)}</pre>`;
  }
  return purify().sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style'],
  });
}
