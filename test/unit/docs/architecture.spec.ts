import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { envSchema } from '../../../adapters/config/schemas.ts';
import { DEFAULT_POLICIES, FIXED_LIMITS, POLICY_BOUNDS } from '../../../core/policies.ts';

// Cheap checks that keep docs/architecture.md (and the links around it) honest; see its last section.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ARCHITECTURE = 'docs/architecture.md';
const LINKED_DOCS = [ARCHITECTURE, 'README.md', 'SECURITY.md'];
// Spelled in two parts so this file does not mention the name it looks for.
const OUTSIDE_DOC = ['DESIGN', 'md'].join('.');

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Files in the repository: tracked and new (not ignored), else (no git) every file outside the usual folders. */
function repositoryFiles(): string[] {
  let listed: string[];
  try {
    listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
      .split('\0')
      .filter(Boolean);
  } catch {
    listed = walk(ROOT);
  }
  // Regular files only: the shared node_modules is a symbolic link, and a file deleted but still indexed is gone.
  return [...new Set(listed)].filter((path) => {
    try {
      return lstatSync(join(ROOT, path)).isFile();
    } catch {
      return false;
    }
  });
}

function walk(dir: string): string[] {
  const skipped = new Set(['.git', 'node_modules', 'dist', 'outbox']);
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (skipped.has(entry.name)) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [relative(ROOT, path)];
  });
}

/** Markdown outside fenced code blocks and inline code, where a link is a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gmu, '').replace(/`[^`\n]*`/gu, '');
}

/** Every link target in a Markdown file: `[text](target)` and `src` / `href` attributes. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  const targets = [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/gu)].map((m) => m[1] ?? '');
  const attributes = [...text.matchAll(/\b(?:src|href)="([^"]+)"/gu)].map((m) => m[1] ?? '');
  return [...targets, ...attributes];
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/iu.test(target) || target.startsWith('//');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of markdown.replace(/^```[\s\S]*?^```/gmu, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gmu)) {
    const slug = (heading ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/gu, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The cells of every Markdown table row, backticks dropped. */
function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.trimStart().startsWith('|'))
    .map((line) =>
      line
        .replace(/\\\|/gu, '\u0000')
        .split('|')
        .map((cell) => cell.replaceAll('\u0000', '|').replaceAll('`', '').trim()),
    );
}

describe('docs/architecture.md', () => {
  const doc = read(ARCHITECTURE);
  const architectureAnchors = anchorsOf(doc);

  for (const file of LINKED_DOCS) {
    it(`${file}: every relative link points to a file in the repository`, () => {
      const markdown = read(file);
      const ownAnchors = anchorsOf(markdown);
      const broken: string[] = [];
      for (const target of linkTargets(markdown)) {
        if (isExternal(target)) continue;
        const [pathPart = '', fragment] = target.split('#', 2);
        const path = decodeURIComponent(pathPart.split('?')[0] ?? '');
        if (path === '') {
          if (fragment && !ownAnchors.has(fragment)) broken.push(`${target} (no such heading in ${file})`);
          continue;
        }
        const resolved = resolve(ROOT, dirname(file), path);
        if (!resolved.startsWith(ROOT) || !existsSync(resolved)) {
          broken.push(`${target} (no ${relative(ROOT, resolved)})`);
          continue;
        }
        if (fragment && relative(ROOT, resolved) === ARCHITECTURE && !architectureAnchors.has(fragment))
          broken.push(`${target} (no such heading in ${ARCHITECTURE})`);
      }
      expect(broken, `broken links in ${file}`).to.deep.equal([]);
    });
  }

  it(`no file in the repository cites ${OUTSIDE_DOC}, a document that is not in it`, () => {
    const needle = Buffer.from(OUTSIDE_DOC);
    const citing = repositoryFiles().filter((path) => readFileSync(join(ROOT, path)).includes(needle));
    expect(citing, `cite ${ARCHITECTURE} instead`).to.deep.equal([]);
  });

  it(`every citation of a ${ARCHITECTURE} section names a heading that exists`, () => {
    const broken: string[] = [];
    for (const path of repositoryFiles()) {
      if (!/\.(?:ts|mjs|js|md|json|ya?ml)$/u.test(path)) continue;
      for (const [, anchor] of read(path).matchAll(/docs\/architecture\.md#([\p{L}\p{N}_-]+)/gu)) {
        if (!architectureAnchors.has(anchor ?? '')) broken.push(`${path}: #${anchor}`);
      }
    }
    expect(broken).to.deep.equal([]);
  });

  it('names every environment variable the env schema reads', () => {
    const documentsFileForms = doc.includes('`NAME_FILE`');
    const missing = Object.keys(envSchema.properties).filter((name) => {
      if (doc.includes(`\`${name}\``)) return false;
      // `X_FILE` (a secret read from a file) is covered by `X` and the paragraph on secrets from files.
      const base = name.endsWith('_FILE') ? name.slice(0, -'_FILE'.length) : undefined;
      return !(base && documentsFileForms && doc.includes(`\`${base}\``));
    });
    expect(missing, `add these to ${ARCHITECTURE}#environment-variables`).to.deep.equal([]);
  });

  it('gives every policy its default and its bounds, as core/policies.ts has them', () => {
    const rows = tableRows(doc);
    const wrong = Object.entries(DEFAULT_POLICIES).flatMap(([name, value]) => {
      const row = rows.find((cells) => cells[1] === name);
      if (!row) return [`${name}: no table row`];
      const problems: string[] = [];
      if (!row.includes(String(value))) problems.push(`${name}: default ${String(value)} not in its row`);
      const bounds = POLICY_BOUNDS[name as keyof typeof POLICY_BOUNDS];
      if (bounds && !row.includes(`${bounds.min}–${bounds.max}`))
        problems.push(`${name}: bounds ${bounds.min}–${bounds.max} not in its row`);
      return problems;
    });
    expect(wrong, `fix ${ARCHITECTURE}#configurable-policies`).to.deep.equal([]);
  });

  it('gives every fixed limit its value', () => {
    const rows = tableRows(doc);
    const wrong = Object.entries(FIXED_LIMITS)
      .filter(([name, value]) => !rows.some((cells) => cells[1] === name && cells.includes(String(value))))
      .map(([name, value]) => `${name} = ${value}`);
    expect(wrong, `fix ${ARCHITECTURE}#fixed-limits`).to.deep.equal([]);
  });
});
