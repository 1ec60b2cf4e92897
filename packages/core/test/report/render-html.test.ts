import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlRenderer } from '../../src/report/render-html';
import { rendererFor, REPORT_RENDERERS, textRenderer } from '../../src/report/renderers';
import { timelineOfRun } from '../../src/report/run-timeline';
import { emptyReport, fullReport, HOSTILE_TASK, LAST_RUN, reportWithoutAnalysis, run, task } from './report-fixtures';

/** The part of `html` from the element with `id` to its closing tag (the elements here do not nest in themselves). */
function element(html: string, tag: string, id: string): string {
  const start = html.indexOf(`<${tag} id="${id}"`);
  if (start === -1) return '';
  return html.slice(start, html.indexOf(`</${tag}>`, start) + tag.length + 3);
}

const count = (text: string, pattern: RegExp): number => text.match(new RegExp(pattern, 'g'))?.length ?? 0;

describe('escapeHtml', () => {
  it('escapes the five characters that can end text or an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('htmlRenderer', () => {
  const html = htmlRenderer.render(fullReport());

  it('is registered as the "html" format', () => {
    expect(rendererFor('html')).toBe(htmlRenderer);
    expect(REPORT_RENDERERS.map((r) => r.format)).toEqual(['text', 'markdown', 'json', 'html', 'trace']);
  });

  it('is one html document with its style inline', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(count(html, /<style>/)).toBe(1);
    expect(html).toContain('prefers-color-scheme:dark');
  });

  it('loads nothing: no script, no link, no url(), no @import, no http at all', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/<(img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
    // attribute names only: the hostile names below carry `src=` as escaped text and attribute values
    const tags = html.replace(/"[^"]*"/g, '""').match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.filter((tag) => /\s(src|href|srcset|action|xlink:href)\s*=/i.test(tag))).toEqual([]);
    expect(html).not.toMatch(/https?:/i);
  });

  it('escapes task and project names that look like markup', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;:test');
    expect(html).toContain('data-task="&lt;script&gt;alert(1)&lt;/script&gt;:test"');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });

  it('gives the verdict first: targets over budget and the default budget', () => {
    expect(html).toMatch(/<h1 id="verdict">3 of 7 targets over budget<\/h1>/);
    expect(html).toContain('default budget 1m 00s');
    expect(html).toContain('<title>sixty report: 3 of 7 targets over budget</title>');
  });

  it('draws the last run as a Gantt chart: one bar per task, one lane per worker, the critical path marked', () => {
    const gantt = element(html, 'svg', 'gantt');
    expect(count(gantt, /<rect class="bar[ "]/)).toBe(LAST_RUN.tasks.length);
    expect(count(gantt, /<rect class="bar critical[ "]/)).toBe(4);
    expect(count(gantt, /<rect class="lane/)).toBe(3);
    expect(count(gantt, /<text class="lane-label"[^>]*>worker \d<\/text>/)).toBe(3);
    const rows = new Map(timelineOfRun(LAST_RUN).tasks.map((t) => [t.id, t.row]));
    for (const t of LAST_RUN.tasks) expect(gantt).toContain(`data-task="${escapeHtml(t.id)}"`);
    expect(gantt).toMatch(/data-task="app:test" data-status="success" data-cache="none" data-row="1"/);
    expect(rows.get('app:test')).toBe(1);
    // labelled with its step, coloured by how the task ended, the budget marked on the axis
    expect(gantt).toContain('>4. app:test</text>');
    expect(gantt).toMatch(/class="bar k-failed" data-task="&lt;script&gt;/);
    expect(gantt).toMatch(/class="bar k-remote-cache" data-task="lib-c:build"/);
    expect(gantt).toMatch(/class="bar k-skipped" data-task="app:e2e"/);
    expect(gantt).toContain('budget 1m 00s');
    expect(count(gantt, /<text class="tick"/)).toBeGreaterThanOrEqual(5);
  });

  it('gives an instant task a visible bar', () => {
    const gantt = element(html, 'svg', 'gantt');
    const skipped = gantt.match(/data-task="app:e2e"[^>]* width="([\d.]+)"/);
    expect(Number(skipped![1])).toBeGreaterThan(0);
  });

  it('lists every over-budget target, ranked by loop cost, with p90, budget, over by, critical path and loop cost', () => {
    const table = element(html, 'table', 'over-budget');
    const tbody = table.slice(table.indexOf('<tbody>'));
    expect(count(tbody, /<tr /)).toBe(3);
    expect([...tbody.matchAll(/<tr data-task="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'app:test',
      'lib-b:test',
      '&lt;script&gt;alert(1)&lt;/script&gt;:test',
    ]);
    expect(table).toMatch(/<th[^>]*>Loop cost<\/th>/);
    expect(table).toMatch(/<th[^>]*>On critical path<\/th>/);
    expect(tbody).toContain('+36.0s');
    expect(tbody).toContain('1m 48s <span class="muted">3 projects</span>');
    expect(html).toContain('<code>sixty plan app:test</code>');
  });

  it('says "up to" for a loop cost that is a bound, not simulated', () => {
    const report = fullReport();
    report.violations = report.violations!.map((v, i) => ({ ...v, loopCostExact: i !== 1 }));
    const tbody = element(htmlRenderer.render(report), 'table', 'over-budget');
    expect(tbody).toContain('1m 48s <span class="muted">3 projects</span>');
    expect(tbody).toContain('up to 24.0s <span class="muted">2 projects</span>');
    expect(textRenderer.render(report)).toContain('lib-b:test (p90 1m 12s) costs up to 24.0s across 2 changes');
  });

  it('draws one loop bar per project against the budget line', () => {
    const section = element(html, 'section', 'loop-times');
    expect(count(section, /class="loop-bar[ "]/)).toBe(5);
    expect(count(section, /class="loop-bar over"/)).toBe(3);
    expect(count(section, /class="budget-mark"/)).toBe(5);
    expect(section).toContain('3 of 5 projects over budget');
  });

  it('draws one p90 sparkline per slow target, with the budget line', () => {
    const section = element(html, 'section', 'trends');
    expect(count(section, /<svg class="sparkline"/)).toBe(3);
    expect(count(section, /<polyline class="trend-line"/)).toBe(3);
    expect(count(section, /<line class="budget-line"/)).toBe(3);
  });

  it('shows the schedule prediction and the critical path with shares', () => {
    const section = element(html, 'section', 'schedule');
    expect(section).toContain('2m 51s');
    expect(section).toContain('--parallel 3');
    const path = element(section, 'ol', 'critical-path');
    expect([...path.matchAll(/<li data-task="([^"]+)"/g)].map((m) => m[1])).toEqual(['lib-a:build', 'lib-b:build', 'app:build', 'app:test']);
    expect(path).toContain('57.3%');
  });

  it('says why there is no graph part, and leaves out what needs it', () => {
    const page = htmlRenderer.render(reportWithoutAnalysis());
    expect(page).not.toContain('id="loop-times"');
    expect(page).not.toContain('id="critical-path"');
    expect(page).toContain('nx could not compute the task graph: project &quot;ghost&quot; not found');
    const table = element(page, 'table', 'over-budget');
    expect(count(table.slice(table.indexOf('<tbody>')), /<tr /)).toBe(3);
    expect(table).not.toContain('Loop cost');
    expect(table).not.toContain('critical path');
  });

  it('says every target is within budget when none is over, without an empty table', () => {
    const report = fullReport();
    const page = htmlRenderer.render({ ...report, targets: report.targets.map((t) => ({ ...t, overBudget: false })), violations: [] });
    expect(page).toContain('All 7 targets within budget');
    expect(page).not.toContain('id="over-budget"');
    expect(page).not.toContain('class="sparkline"');
  });

  it('writes a getting-started page when nothing was recorded', () => {
    const page = htmlRenderer.render(emptyReport());
    expect(page).toContain('No runs recorded yet');
    expect(page).toContain('sixty init');
    expect(page).not.toContain('id="gantt"');
    expect(page).not.toMatch(/https?:/);
  });

  // no wall-time assertion: machine load flips those (timed claims live in tools/bench)
  it('draws every bar of a run of thousands of tasks', () => {
    const tasks = Array.from({ length: 5000 }, (_, i) => task(`p${i}:build`, (i % 500) * 100, (i % 500) * 100 + 90 + (i % 7)));
    const page = htmlRenderer.render({ ...fullReport(), lastRun: run(tasks) });
    expect(count(element(page, 'svg', 'gantt'), /<rect class="bar[ "]/)).toBe(5000);
  });
});
