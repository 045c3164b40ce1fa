import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { fixedClock } from '../../src/core/clock.ts';
import { escapeHtml } from '../../src/core/html.ts';
import type { MailContent } from '../../src/core/mail/content.ts';
import { renderMail } from '../../src/core/mail/templates.ts';
import { seedXihu } from '../helpers/actors.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Every text the server puts in HTML is escaped (issue 12, point 4). The server's own HTML is the
 * mails' HTML part and the mail pages (/mail/confirm, /mail/unsubscribe); the web pages are React.
 * The check is structural: whatever hostile text goes in, the HTML that comes out has only the
 * tags and attributes its template writes.
 */
const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  '</p></div><iframe src="javascript:alert(1)">',
  '&lt;already&gt; &amp; <!-- comment --> <![CDATA[x]]>',
  '<svg/onload=alert(1)>',
];

/** Tag names and attribute names in a piece of HTML, as a browser's tokenizer would find them. */
function markup(html: string): { tags: Set<string>; attributes: Set<string> } {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  for (const m of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*|!doctype)\b([^>]*)>/g)) {
    tags.add(m[1]!.toLowerCase());
    for (const a of m[2]!.matchAll(/([^\s"'=/]+)\s*(?:=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?/g)) {
      attributes.add(a[1]!.toLowerCase());
    }
  }
  assert.doesNotMatch(html, /<!--|<!\[CDATA\[/i, 'no comment or CDATA came through');
  return { tags, attributes };
}

function assertOnly(html: string, tags: string[], attributes: string[], where: string) {
  const found = markup(html);
  assert.deepEqual(
    [...found.tags].filter((t) => !tags.includes(t)),
    [],
    `${where}: tags nobody wrote\n${html}`,
  );
  assert.deepEqual(
    [...found.attributes].filter((a) => !attributes.includes(a)),
    [],
    `${where}: attributes nobody wrote\n${html}`,
  );
}

test('escaped text holds none of the characters HTML gives meaning to, and reads back unchanged', () => {
  const unescape = (s: string) =>
    s.replace(
      /&(amp|lt|gt|quot|#39);/g,
      (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!,
    );
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      const out = escapeHtml(s);
      assert.doesNotMatch(out, /[<>"']/);
      assert.equal(unescape(out), s);
    }),
    { numRuns: 2_000 },
  );
});

test('every mail template escapes every text it is given, in its HTML part', () => {
  const label = (h: string) => ({ zh: h, en: h });
  const at = '2026-03-02T01:30:00.000Z';
  for (const h of HOSTILE) {
    const contents: MailContent[] = [
      { template: 'follow_confirm', reference: h },
      { template: 'area_confirm', area: label(h) },
      { template: 'email_confirm', username: h },
      { template: 'case_status', reference: h, from: label(h), to: label(h), action: label(h), at },
      { template: 'area_new_case', reference: h, region: label(h), category: label(h), at },
      {
        template: 'digest',
        entries: [
          { template: 'case_status', reference: h, to: label(h), action: label(h), at, unsubscribe: h },
          {
            template: 'area_new_case',
            reference: h,
            region: label(h),
            category: label(h),
            at,
            unsubscribe: h,
          },
        ],
      },
      { template: 'staff_assignment', reference: h, role: 'co', deadline: at },
      { template: 'staff_deadline', reference: h, stage: label(h), threshold: 80, deadline: at },
      { template: 'staff_supervision', reference: h, reason: h },
      { template: 'staff_whistle', reference: h, report_in_deadline: at },
      {
        template: 'staff_queue_digest',
        total: 1,
        overdue: 1,
        cases: [{ reference: h, stage: label(h), deadline: at, overdue: true }],
      },
    ];
    for (const content of contents) {
      const mail = renderMail(content, { confirm: h, view: h, unsubscribe: h });
      assertOnly(
        mail.html,
        ['!doctype', 'html', 'body', 'div', 'p', 'hr', 'a', 'small'],
        ['html', 'lang', 'href'],
        content.template,
      );
      assert.ok(!mail.html.includes(h), `${content.template}: the text went in raw`);
    }
  }
});

const clock = fixedClock('2026-03-02T09:00:00+08:00');
let t: TestApp;
before(async () => {
  t = await makeTestApp((store) => seedXihu(store, clock), { clock });
});
after(() => t.close());

test('the mail pages escape the token they echo and the refusal they show', async () => {
  const pageTags = ['!doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'br', 'small'];
  const pageAttributes = ['html', 'lang', 'charset', 'name', 'content'];
  for (const kind of ['confirm', 'unsubscribe']) {
    for (const h of HOSTILE) {
      const shown = await t.app.inject({ url: `/mail/${kind}?token=${encodeURIComponent(h)}` });
      assert.equal(shown.statusCode, 200);
      assertOnly(
        shown.body,
        [...pageTags, 'form', 'input', 'button'],
        [...pageAttributes, 'method', 'action', 'type', 'value'],
        `GET /mail/${kind}`,
      );
      const done = await t.app.inject({
        method: 'POST',
        url: `/mail/${kind}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `token=${encodeURIComponent(h)}`,
      });
      assert.ok(done.statusCode >= 400 && done.statusCode < 500, `POST /mail/${kind}: ${done.statusCode}`);
      assertOnly(done.body, [...pageTags, 'p'], pageAttributes, `POST /mail/${kind}`);
    }
  }
});

test('the web pages never write HTML from text: no innerHTML, outerHTML, insertAdjacentHTML, document.write', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : /\.(tsx?|jsx?)$/.test(name) ? [path] : [];
    });
  const offenders = files('web/src').filter((file) =>
    /\b(innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write)\b/.test(
      readFileSync(file, 'utf8'),
    ),
  );
  assert.deepEqual(offenders, []);
});
