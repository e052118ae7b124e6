/**
 * `npm start`: the collection server on the bundled demo pack with the embedded database
 * (data/demo.db), so the first command of the README runs the real thing, and a newcomer can try
 * both roles at once: it prints the lead's link and a ready-made invite link for a demo annotator
 * ("demo-annotator"), and the link of the demo's comparison pack (public/demo-compare/, opened by
 * the page itself: the pair workspace). Their tokens are kept in data/demo-tokens.json (a local demo; a real
 * collection is started with `richhf serve`), so the links stay the same from one start to the
 * next. Extra arguments go to `richhf serve` (`npm start -- --port 9000`; `--db FILE` moves the
 * database and the tokens file beside it).
 *
 * `richhf serve` runs as this script's child, in a process group of its own, and this script is
 * npm's own child (package.json runs it with `exec`, so no shell sits between them): SIGTERM and
 * SIGINT sent to npm reach this script, which passes each on once (a Ctrl-C at the terminal
 * arrives twice: from the terminal and from npm), then exits with the server's status.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import buildNode from '../tests/buildNode.ts';

const root = path.resolve(import.meta.dirname, '..');
const DEMO_ANNOTATOR = 'demo-annotator';

const args = process.argv.slice(2);
const dbAt = args.indexOf('--db');
const db = dbAt >= 0 && args[dbAt + 1] !== undefined ? path.resolve(args[dbAt + 1]!) : path.join(root, 'data/demo.db');
const tokensFile = path.join(path.dirname(db), 'demo-tokens.json');

interface DemoTokens {
  lead: string;
  invite?: string;
}

function readTokens(): DemoTokens {
  try {
    const t = JSON.parse(readFileSync(tokensFile, 'utf8')) as Partial<DemoTokens>;
    if (typeof t.lead === 'string' && /^[A-Za-z0-9_-]{43}$/.test(t.lead)) return { lead: t.lead, ...(typeof t.invite === 'string' ? { invite: t.invite } : {}) };
  } catch {
    // Missing or damaged: new tokens (the demo's old links stop working).
  }
  return { lead: randomBytes(32).toString('base64url') };
}

mkdirSync(path.dirname(db), { recursive: true });
const ownLead = !process.env.RICHHF_LEAD_TOKEN;
const tokens = readTokens();
const lead = process.env.RICHHF_LEAD_TOKEN || tokens.lead;
const keepTokens = (t: DemoTokens) => writeFileSync(tokensFile, JSON.stringify(t) + '\n', { mode: 0o600 });
keepTokens(tokens);

// Incremental: about a second when build/ is up to date. `richhf serve` builds the app itself.
buildNode();
const serveArgs = ['serve', '--pack', path.join(root, 'public/demo/pack.json'), ...(dbAt >= 0 ? [] : ['--db', db]), ...args];
const child = spawn(process.execPath, [path.join(root, 'bin/richhf.mjs'), ...serveArgs], {
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
  env: { ...process.env, RICHHF_LEAD_TOKEN: lead },
});

const forwarded = new Set<NodeJS.Signals>();
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (forwarded.has(signal)) return;
    forwarded.add(signal);
    child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === 'SIGINT' ? 2 : 15)));

let publicUrl: string | null = null;
createInterface({ input: child.stdout }).on('line', (line) => {
  // The lead token is this demo's own: show it in the links instead of the variable's name.
  const shown = ownLead
    ? line.replace(' (the token is RICHHF_LEAD_TOKEN)', ` (the demo's lead token, kept in ${path.relative(process.cwd(), tokensFile)})`).replaceAll('$RICHHF_LEAD_TOKEN', lead)
    : line;
  console.log(shown);
  const app = /^app: (\S+?)\/?$/.exec(line);
  if (app) publicUrl = app[1]!;
  const listening = /^listening on (\S+)/.exec(line);
  if (listening) {
    demoInvite(listening[1]!).then(
      (token) => {
        console.log(
          `demo annotator: ${publicUrl ?? listening[1]}/?invite=${token} (a ready-made invite for "${DEMO_ANNOTATOR}"; open it in another browser or a private window, and the lead's link here)`,
        );
        // The other kind of task: the demo's blind comparison pack, opened by the page itself (answers kept in the browser, exported as a file).
        console.log(
          `demo comparison: ${publicUrl ?? listening[1]}/?pack=demo-compare/pack.json (six pairs side by side, judged blind; export the file and run richhf compare on it with the key)`,
        );
      },
      (e: unknown) => console.error(`npm start: the demo annotator's invite could not be made: ${(e as Error).message}`),
    );
  }
});

/** The demo annotator's invite token: the kept one while the server still accepts it, else a new one. */
async function demoInvite(url: string): Promise<string> {
  const kept = readTokens().invite;
  if (kept !== undefined) {
    const me = await fetch(`${url}/api/v1/me`, { headers: { Authorization: `Bearer ${kept}` } });
    if (me.ok && ((await me.json()) as { annotator?: string }).annotator === DEMO_ANNOTATOR) return kept;
  }
  const res = await fetch(`${url}/api/v1/invites`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${lead}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ annotators: [DEMO_ANNOTATOR] }),
  });
  if (!res.ok) throw new Error(`POST /api/v1/invites: ${res.status} ${await res.text()}`);
  const token = ((await res.json()) as { invites: { token: string }[] }).invites[0]!.token;
  keepTokens({ ...readTokens(), invite: token });
  return token;
}
