/**
 * The project's own contract (issue 3): the npm scripts, `npm test` running every test file, CI/CD doing what the
 * README says, `.ci/run` running the README's test command, and no AWS credentials in any tracked file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');
const read = (path: string): string => readFileSync(join(repo, path), 'utf8');
const git = (...args: string[]): string[] =>
  execFileSync('git', args, { cwd: repo, encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.length > 0);

const pkg = JSON.parse(read('package.json')) as {
  type: string;
  engines: { node: string };
  scripts: Record<string, string>;
};

/** Each needle must occur in the text after the previous one. */
function expectInOrder(text: string, needles: (string | RegExp)[]): void {
  let from = 0;
  for (const needle of needles) {
    const rest = text.slice(from);
    const match = typeof needle === 'string' ? rest.indexOf(needle) : rest.search(needle);
    expect(match, `${String(needle)} after offset ${from}`).toBeGreaterThanOrEqual(0);
    from += match + 1;
  }
}

describe('the npm project', () => {
  it('is an ESM package for Node 20 or later with a committed lockfile', () => {
    expect(pkg.type).toBe('module');
    expect(pkg.engines.node).toBe('>=20');
    expect(git('ls-files', 'package-lock.json')).toEqual(['package-lock.json']);
  });

  it('has every script the issue names', () => {
    for (const script of [
      'build',
      'typecheck',
      'lint',
      'test',
      'start',
      'synth',
      'diff',
      'deploy',
      'destroy',
      'bench',
      'deploy:code',
    ]) {
      expect(pkg.scripts[script], script).toEqual(expect.any(String));
    }
    expect(pkg.scripts.lint).toContain('--error-on-warnings');
  });

  it('runs every committed test file on npm test', () => {
    expect(pkg.scripts.test).toBe('vitest run');
    const collected = new Set(
      execFileSync(join(repo, 'node_modules', '.bin', 'vitest'), ['list', '--filesOnly'], {
        cwd: repo,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        // Bounded, so a hung vitest is killed rather than left behind.
        timeout: 120_000,
      })
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.length > 0),
    );
    const committed = git('ls-files').filter((path) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(path));

    expect(committed.length).toBeGreaterThan(10);
    expect(committed.filter((path) => !collected.has(path))).toEqual([]);
  });
});

describe('credentials', () => {
  it('live in no tracked file: no access keys, no secret keys, no tfvars', () => {
    const files = git('ls-files');
    expect(files.filter((path) => /\.tfvars(\.json)?$|(^|\/)\.env$|credentials$/.test(path))).toEqual([]);

    // A tracked file that matches is named, never its content.
    const keyId = '(AKIA|ASIA)[0-9A-Z]{16}';
    const secret = 'aws_?secret_?access_?key[\'"]?\\s*[:=]\\s*[\'"]?[A-Za-z0-9/+]{40}';
    let hits = '';
    try {
      hits = execFileSync('git', ['grep', '-l', '-I', '-i', '-E', `${keyId}|${secret}`], {
        cwd: repo,
        encoding: 'utf8',
      });
    } catch (error) {
      // git grep exits 1 when nothing matches; anything else is a real failure.
      if ((error as { status?: number }).status !== 1) throw error;
    }
    expect(hits).toBe('');
  });

  it('and outputs and env files stay out of git', () => {
    const ignored = read('.gitignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'cdk-outputs.json', 'cdk.out/']));
  });
});

describe('CI/CD', () => {
  it('ci.yml checks out, sets up Node, installs with npm ci, then lints, typechecks and tests', () => {
    expectInOrder(read('.github/workflows/ci.yml'), [
      'uses: actions/checkout@',
      'uses: actions/setup-node@',
      /run: npm ci\b/,
      'run: npm run lint',
      'run: npm run typecheck',
      'run: npm test',
    ]);
  });

  it('deploy.yml runs on release pushes and tags, prefers OIDC, deploys the code by script and then the stack', () => {
    const deploy = read('.github/workflows/deploy.yml');

    expect(deploy).toMatch(/push:\s*\n\s*branches: \[release\]\s*\n\s*tags: \[[^\]]+\]/);
    expect(deploy).toMatch(/permissions:\s*\n\s*id-token: write/);
    expect(deploy).toMatch(/role-to-assume: \$\{\{ vars\.AWS_ROLE_ARN \|\| secrets\.AWS_ROLE_ARN \}\}/);
    expect(deploy).toMatch(/aws-access-key-id: \$\{\{ secrets\.AWS_ACCESS_KEY_ID \}\}/);
    expectInOrder(deploy, [
      /^ {2}code:$/m,
      'run: npm run deploy:code',
      /^ {2}infrastructure:$/m,
      'needs: code',
    ]);
    expect(deploy).toMatch(/run: npm run deploy\s*$/m);
    // The code-only deploy is scripts/deploy-code.ts, not inline CLI calls.
    expect(deploy).not.toMatch(/aws (s3 cp|lambda update-function-code)/);
  });

  it('.ci/run installs with npm ci and runs the README test command on Node 20, then on pinned Node 22 and 24', () => {
    const run = read('.ci/run')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0 && !line.startsWith('#'));
    const readmeTest = /^(npm [a-z ]+?)\s+# test it/m.exec(read('README.md'))?.[1];
    const others = /^OTHER_NODES=\(([^)]*)\)$/m.exec(read('.ci/run'))?.[1]?.split(' ') ?? [];

    expect(readmeTest).toBe('npm test');
    expect(run).toContain('npm ci --no-audit --no-fund');
    // Once on this machine's Node, once in the loop over the other versions.
    expect(run.filter((line) => line === readmeTest)).toHaveLength(2);
    expect(others.map((v) => v.split('.')[0])).toEqual(['22', '24']);
    for (const v of others) expect(v, 'an exact version').toMatch(/^\d+\.\d+\.\d+$/);
  });
});
