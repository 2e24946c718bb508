import { describe, expect, it } from 'vitest';
import { escapeHtml, formatDeadline, renderNotice } from './notice-templates.ts';

const view = { patronName: 'Tan, Jia Yu', timeZone: 'UTC' };

describe('notice templates', () => {
  it('hold ready: the pickup deadline in the library\'s time zone, in text and HTML', () => {
    const n = renderNotice('hold-ready', { title: 'Batman', callNumber: '0000000101', readyUntil: '2026-03-05T23:59:59.999Z' }, view);
    expect(n.subject).toBe('Ready for pickup: Batman');
    expect(n.text).toContain('Please pick it up by Thursday 5 March 2026, 23:59 (UTC).');
    expect(n.text).toContain('Dear Tan, Jia Yu,');
    expect(n.html).toContain('<p>Please pick it up by Thursday 5 March 2026, 23:59 (UTC). After that it goes back on the shelf.</p>');
  });

  it('dates follow the policy\'s time zone', () => {
    expect(formatDeadline('2026-03-05T23:59:59.999Z', 'America/Toronto')).toBe('Thursday 5 March 2026, 18:59 (America/Toronto)');
  });

  it('escapes everything that reaches HTML and keeps the subject on one line', () => {
    const n = renderNotice('overdue', { title: '<script>alert("x")</script>\r\nBcc: victim@example.org', dueAt: '2026-03-16T23:59:59.999Z' }, { ...view, patronName: 'O\'Brien & <b>Co</b>' });
    expect(n.html).not.toContain('<script>');
    expect(n.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(n.html).toContain('Dear O&#39;Brien &amp; &lt;b&gt;Co&lt;/b&gt;,');
    expect(n.subject).not.toMatch(/[\r\n]/);
  });

  it('due soon, and hold expired with and without a charge', () => {
    expect(renderNotice('due-soon', { title: 'SICP', dueAt: '2026-03-16T23:59:59.999Z' }, view).text).toContain('SICP is due back by Monday 16 March 2026, 23:59 (UTC).');
    expect(renderNotice('hold-expired', { title: 'SICP', readyUntil: '2026-03-05T23:59:59.999Z', chargeCents: 75 }, view).text).toContain('A no-show charge of $0.75 was added');
    expect(renderNotice('hold-expired', { title: 'SICP', readyUntil: '2026-03-05T23:59:59.999Z', chargeCents: 0 }, view).text).toContain('gone back on the shelf');
  });

  it('escapeHtml', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
