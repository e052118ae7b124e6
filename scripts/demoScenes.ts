/**
 * The demo pack's scenes, hand-written as SVG so the bundled images are the project's own work.
 * Each scene is a small flat illustration in the style of a "generated image"; some are drawn
 * wrong on purpose (misaligned with their prompt, or with an obvious artifact) so a new annotator
 * has something to mark. `flaw` records what is wrong, for the README and the report; it is not
 * part of the pack. Coordinates are image pixels, origin top-left.
 */
export interface DemoScene {
  readonly prompt: string;
  readonly width: number;
  readonly height: number;
  /** What an annotator should find: "none", or the misalignment / artifact drawn on purpose. */
  readonly flaw: string;
  readonly svg: string;
}

function svg(width: number, height: number, defs: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<defs>
  <filter id="blur4" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="4"/></filter>
  <filter id="blur8" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="8"/></filter>
  <filter id="blur20" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="20"/></filter>
  ${defs}
</defs>
${body}
</svg>`;
}

function linear(id: string, stops: readonly string[], x2 = 0, y2 = 1): string {
  const s = stops.map((c, i) => `<stop offset="${i / (stops.length - 1)}" stop-color="${c}"/>`).join('');
  return `<linearGradient id="${id}" x1="0" y1="0" x2="${x2}" y2="${y2}">${s}</linearGradient>`;
}

function radial(id: string, stops: readonly string[], cx = 0.35, cy = 0.32, r = 0.8): string {
  const s = stops.map((c, i) => `<stop offset="${i / (stops.length - 1)}" stop-color="${c}"/>`).join('');
  return `<radialGradient id="${id}" cx="${cx}" cy="${cy}" r="${r}">${s}</radialGradient>`;
}

/** A ball resting on a surface at y = cy + r, with a soft contact shadow. */
export function ball(cx: number, cy: number, r: number, fill: string): string {
  return `<ellipse cx="${cx + 6}" cy="${cy + r - 2}" rx="${r * 1.05}" ry="${r * 0.22}" fill="#2a1606" opacity="0.45" filter="url(#blur8)"/>
<circle cx="${cx}" cy="${cy}" r="${r}" fill="url(#${fill})"/>
<ellipse cx="${cx - r * 0.35}" cy="${cy - r * 0.42}" rx="${r * 0.22}" ry="${r * 0.13}" fill="#fff" opacity="0.7" transform="rotate(-30 ${cx - r * 0.35} ${cy - r * 0.42})"/>`;
}

/** Prompt asks for three red balls; the image has two blue ones. */
export const twoBlueBalls: DemoScene = {
  prompt: 'three red balls on a wooden table',
  width: 512,
  height: 512,
  flaw: 'misaligned: two blue balls instead of three red ones',
  svg: svg(
    512,
    512,
    linear('wall', ['#f6ead8', '#e4cba8']) + linear('wood', ['#c48650', '#9a5f30']) + linear('edge', ['#7a4622', '#4e2a12']) + radial('blue', ['#bfe0ff', '#3a86e8', '#0d3276']),
    `<rect width="512" height="512" fill="url(#wall)"/>
<rect x="300" y="40" width="150" height="170" rx="6" fill="#fffaf0" opacity="0.55"/>
<rect x="318" y="58" width="114" height="134" fill="#9cc7a4"/>
<path d="M318 192 L360 130 L392 165 L412 140 L432 170 L432 192 Z" fill="#5d9a6a"/>
<circle cx="350" cy="92" r="14" fill="#f7d774"/>
<rect x="0" y="290" width="512" height="150" fill="url(#wood)"/>
<g fill="none" stroke="#8a5228" stroke-width="2" opacity="0.35">
  <path d="M0 312 C120 306 260 320 512 310"/><path d="M0 340 C150 350 300 332 512 344"/>
  <path d="M0 372 C90 366 240 380 512 368"/><path d="M0 405 C170 414 330 398 512 410"/>
  <path d="M0 428 C200 422 360 434 512 426"/>
</g>
<ellipse cx="120" cy="356" rx="26" ry="7" fill="none" stroke="#7a4622" stroke-width="2" opacity="0.35"/>
<rect x="0" y="440" width="512" height="26" fill="url(#edge)"/>
<rect x="0" y="466" width="512" height="46" fill="#3a2313"/>
<rect x="0" y="288" width="512" height="4" fill="#e3b487" opacity="0.6"/>
${ball(190, 338, 58, 'blue')}
${ball(338, 356, 48, 'blue')}`,
  ),
};

/** Prompt asks for a yellow cat on a blue sofa; the cat is grey and the sofa red. */
export const greyCatRedSofa: DemoScene = {
  prompt: 'a yellow cat sleeping on a blue sofa',
  width: 512,
  height: 512,
  flaw: 'misaligned: the cat is grey (not yellow) and the sofa is red (not blue)',
  svg: svg(
    512,
    512,
    linear('wall', ['#eef2f4', '#d5dee4']) +
      linear('floor', ['#c79f78', '#a67d57']) +
      linear('sofa', ['#d9453a', '#a3271f']) +
      linear('seat', ['#e0564a', '#b3342a']) +
      radial('cat', ['#b8bcc2', '#8c9198', '#6a6f76'], 0.4, 0.3, 0.9),
    `<rect width="512" height="512" fill="url(#wall)"/>
<rect x="0" y="400" width="512" height="112" fill="url(#floor)"/>
<ellipse cx="256" cy="430" rx="250" ry="22" fill="#3b2414" opacity="0.35" filter="url(#blur8)"/>
<rect x="62" y="150" width="388" height="170" rx="34" fill="url(#sofa)"/>
<line x1="256" y1="168" x2="256" y2="300" stroke="#8e1f18" stroke-width="3" opacity="0.5"/>
<rect x="46" y="292" width="420" height="98" rx="22" fill="url(#seat)"/>
<line x1="256" y1="300" x2="256" y2="386" stroke="#8e1f18" stroke-width="3" opacity="0.45"/>
<rect x="22" y="232" width="78" height="166" rx="32" fill="url(#sofa)"/>
<rect x="412" y="232" width="78" height="166" rx="32" fill="url(#sofa)"/>
<rect x="44" y="396" width="16" height="22" rx="4" fill="#3b2414"/>
<rect x="452" y="396" width="16" height="22" rx="4" fill="#3b2414"/>
<ellipse cx="262" cy="300" rx="128" ry="12" fill="#5e130e" opacity="0.45" filter="url(#blur4)"/>
<path d="M360 276 C400 300 380 330 300 322 C250 318 200 324 170 310" fill="none" stroke="#7b8087" stroke-width="22" stroke-linecap="round"/>
<ellipse cx="272" cy="254" rx="112" ry="52" fill="url(#cat)"/>
<g stroke="#5c6168" stroke-width="7" stroke-linecap="round" fill="none" opacity="0.7">
  <path d="M250 206 C258 224 258 240 250 256"/><path d="M285 204 C294 224 294 242 286 260"/><path d="M320 210 C330 228 330 246 322 262"/>
</g>
<path d="M132 236 L138 188 L168 218 Z" fill="#858a91"/>
<path d="M188 216 L214 182 L222 230 Z" fill="#858a91"/>
<path d="M140 228 L143 202 L160 220 Z" fill="#e8a6a8"/>
<circle cx="176" cy="262" r="46" fill="url(#cat)"/>
<path d="M150 258 Q160 266 170 258" fill="none" stroke="#33363b" stroke-width="3" stroke-linecap="round"/>
<path d="M184 258 Q194 266 204 258" fill="none" stroke="#33363b" stroke-width="3" stroke-linecap="round"/>
<path d="M172 274 L180 274 L176 280 Z" fill="#e48a93"/>
<g stroke="#eceff2" stroke-width="1.5" opacity="0.8"><line x1="150" y1="280" x2="118" y2="276"/><line x1="150" y1="285" x2="120" y2="290"/><line x1="202" y1="280" x2="234" y2="276"/><line x1="202" y1="285" x2="232" y2="290"/></g>
<text x="222" y="176" font-family="DejaVu Sans, sans-serif" font-size="26" font-weight="bold" fill="#7d8a96" opacity="0.8">z</text>
<text x="244" y="150" font-family="DejaVu Sans, sans-serif" font-size="34" font-weight="bold" fill="#7d8a96" opacity="0.7">z</text>`,
  ),
};

/** A waving hand with six digits: five fingers and a thumb. */
export function finger(x: number, y: number, length: number, angle: number): string {
  return `<g transform="translate(${x} ${y}) rotate(${angle})">
  <rect x="-15" y="${-length}" width="30" height="${length + 30}" rx="15" fill="url(#skin)" stroke="#c98a5e" stroke-width="2"/>
  <rect x="-9" y="${-length + 5}" width="18" height="16" rx="7" fill="#fbe2cf" opacity="0.9"/>
  <path d="M-9 ${-length * 0.45} Q0 ${-length * 0.45 + 4} 9 ${-length * 0.45}" fill="none" stroke="#c98a5e" stroke-width="1.5" opacity="0.7"/>
</g>`;
}

export const sixFingers: DemoScene = {
  prompt: 'a hand waving hello against a pastel background',
  width: 512,
  height: 512,
  flaw: 'artifact: the hand has six digits (five fingers plus a thumb)',
  svg: svg(
    512,
    512,
    linear('bg', ['#ffd9e4', '#d9d4ff', '#c6e6ff'], 1, 1) + linear('skin', ['#f8d2ae', '#e6ab7e']) + linear('sleeve', ['#6c8cd5', '#4a66b0']),
    `<rect width="512" height="512" fill="url(#bg)"/>
<circle cx="90" cy="110" r="60" fill="#fff" opacity="0.35"/>
<circle cx="440" cy="420" r="90" fill="#fff" opacity="0.3"/>
<circle cx="430" cy="90" r="22" fill="#ffe9a8" opacity="0.8"/>
<circle cx="70" cy="430" r="16" fill="#b9f0d6" opacity="0.9"/>
<g fill="none" stroke="#8b7fd1" stroke-width="6" stroke-linecap="round" opacity="0.6">
  <path d="M116 190 Q96 230 116 270"/><path d="M90 175 Q62 230 90 285"/>
  <path d="M396 190 Q416 230 396 270"/><path d="M422 175 Q450 230 422 285"/>
</g>
<ellipse cx="262" cy="500" rx="120" ry="16" fill="#5a4a8a" opacity="0.25" filter="url(#blur8)"/>
${finger(210, 282, 106, -24)}
${finger(238, 270, 132, -10)}
${finger(266, 266, 142, 2)}
${finger(292, 270, 130, 13)}
${finger(318, 284, 108, 25)}
<g transform="translate(196 340) rotate(-52)"><rect x="-17" y="-96" width="34" height="112" rx="17" fill="url(#skin)" stroke="#c98a5e" stroke-width="2"/>
<rect x="-10" y="-90" width="20" height="16" rx="7" fill="#fbe2cf" opacity="0.9"/></g>
<rect x="190" y="262" width="150" height="160" rx="56" fill="url(#skin)" stroke="#c98a5e" stroke-width="2"/>
<path d="M220 350 Q262 372 310 340" fill="none" stroke="#c98a5e" stroke-width="2" opacity="0.6"/>
<path d="M232 318 Q270 330 312 312" fill="none" stroke="#c98a5e" stroke-width="2" opacity="0.5"/>
<rect x="214" y="400" width="100" height="40" fill="url(#skin)"/>
<rect x="196" y="428" width="136" height="90" rx="14" fill="url(#sleeve)"/>
<rect x="196" y="428" width="136" height="16" rx="8" fill="#8ca6e6"/>`,
  ),
};

/** A wall clock whose dial has duplicated and impossible numbers. */
export function clockNumbers(cx: number, cy: number, r: number, labels: readonly string[]): string {
  return labels
    .map((label, i) => {
      const a = (i * Math.PI) / 6;
      const x = (cx + r * Math.sin(a)).toFixed(1);
      const y = (cy - r * Math.cos(a) + 10).toFixed(1);
      return `<text x="${x}" y="${y}" text-anchor="middle" font-family="DejaVu Serif, serif" font-size="28" font-weight="bold" fill="#2c1d12">${label}</text>`;
    })
    .join('\n');
}

function clockTicks(cx: number, cy: number, r: number): string {
  const ticks: string[] = [];
  for (let i = 0; i < 60; i++) {
    const a = (i * Math.PI) / 30;
    const inner = i % 5 === 0 ? r - 12 : r - 6;
    const p = (rr: number) => `${(cx + rr * Math.sin(a)).toFixed(1)} ${(cy - rr * Math.cos(a)).toFixed(1)}`;
    ticks.push(`M${p(inner)} L${p(r)}`);
  }
  return `<path d="${ticks.join(' ')}" stroke="#3d2a1b" stroke-width="2"/>`;
}

export const garbledClock: DemoScene = {
  prompt: 'an antique wall clock in a cozy living room',
  width: 512,
  height: 512,
  flaw: 'artifact: the dial reads 12 1 2 2 4 5 6 6 8 9 17 11 (3, 7 and 10 missing, 2 and 6 twice, a 17) and it has three hands',
  svg: svg(
    512,
    512,
    linear('panel', ['#6b4a30', '#4a311f']) +
      radial('case', ['#b07a45', '#7a4b24', '#4d2c12'], 0.4, 0.35, 0.75) +
      radial('face', ['#fffaf0', '#f1e2c4', '#d8c29a'], 0.45, 0.4, 0.75) +
      radial('glow', ['#ffe3a0', '#ffcf70', 'rgba(255,207,112,0)'], 0.5, 0.5, 0.5) +
      radial('brass', ['#fff0b0', '#d9a93a', '#8a6414'], 0.4, 0.35, 0.8),
    `<rect width="512" height="512" fill="#3b5847"/>
<g stroke="#5a7a64" stroke-width="10" opacity="0.35">${[24, 72, 120, 168, 216, 264, 312, 360, 408, 456, 504].map((x) => `<line x1="${x}" y1="0" x2="${x}" y2="420"/>`).join('')}</g>
<circle cx="60" cy="250" r="150" fill="url(#glow)" opacity="0.7"/>
<rect x="0" y="420" width="512" height="92" fill="url(#panel)"/>
<rect x="0" y="416" width="512" height="8" fill="#8a6442"/>
<rect x="56" y="260" width="8" height="170" fill="#2a1c12"/>
<path d="M20 260 L100 260 L84 196 L36 196 Z" fill="#f3d9a4"/>
<path d="M20 260 L100 260 L96 250 L24 250 Z" fill="#d8b67a"/>
<ellipse cx="60" cy="436" rx="36" ry="6" fill="#1c120b" opacity="0.6"/>
<rect x="412" y="360" width="56" height="60" rx="6" fill="#b5643c"/>
<path d="M440 362 C410 320 400 290 420 270 C430 300 436 320 440 362 Z" fill="#4f8a4f"/>
<path d="M440 362 C470 320 480 300 462 262 C450 300 444 330 440 362 Z" fill="#5fa05c"/>
<path d="M440 362 C440 320 436 290 446 250 C456 290 450 330 440 362 Z" fill="#3f7a40"/>
<ellipse cx="262" cy="222" rx="160" ry="160" fill="#0f1a13" opacity="0.5" filter="url(#blur20)"/>
<rect x="252" y="340" width="8" height="74" fill="#8a6414"/>
<circle cx="256" cy="418" r="22" fill="url(#brass)"/>
<circle cx="256" cy="210" r="150" fill="url(#case)"/>
<circle cx="256" cy="210" r="132" fill="#e0c48a"/>
<circle cx="256" cy="210" r="126" fill="url(#face)"/>
${clockTicks(256, 210, 122)}
${clockNumbers(256, 210, 94, ['12', '1', '2', '2', '4', '5', '6', '6', '8', '9', '17', '11'])}
<path d="M256 210 L214 150" stroke="#1d130c" stroke-width="9" stroke-linecap="round"/>
<path d="M256 210 L300 160" stroke="#1d130c" stroke-width="7" stroke-linecap="round"/>
<path d="M256 210 L262 106" stroke="#1d130c" stroke-width="5" stroke-linecap="round"/>
<circle cx="256" cy="210" r="9" fill="url(#brass)"/>
<ellipse cx="210" cy="140" rx="60" ry="26" fill="#fff" opacity="0.25" transform="rotate(-30 210 140)"/>`,
  ),
};

/** A retro poster with two sailboats: fine, and its prompt exercises the tokenizer's punctuation. */
function sailboat(x: number, y: number, s: number): string {
  return `<g transform="translate(${x} ${y}) scale(${s})" fill="#1c1433">
  <path d="M-60 0 L60 0 L44 18 L-44 18 Z"/>
  <rect x="-2" y="-110" width="4" height="112"/>
  <path d="M4 -104 L4 -6 L56 -6 Z"/>
  <path d="M-4 -92 L-4 -6 L-46 -6 Z"/>
</g>
<g transform="translate(${x} ${y + 22 * s}) scale(${s} ${-s * 0.5})" fill="#1c1433" opacity="0.35">
  <path d="M4 -104 L4 -6 L56 -6 Z"/><path d="M-4 -92 L-4 -6 L-46 -6 Z"/>
</g>`;
}

const vintagePoster: DemoScene = {
  prompt: 'A "vintage" poster: sunset over the sea, with two sailboats.',
  width: 768,
  height: 512,
  flaw: 'none',
  svg: svg(
    768,
    512,
    linear('sky', ['#2d1f55', '#8a3a6a', '#e0604a', '#f7b456']) +
      linear('sun', ['#fff1a8', '#ffb347', '#ff7a3d']) +
      linear('sea', ['#2a4a7a', '#142846']) +
      `<clipPath id="panel"><rect x="36" y="36" width="696" height="440" rx="6"/></clipPath>
       <clipPath id="above"><rect x="0" y="0" width="768" height="318"/></clipPath>
       <clipPath id="sundisc"><circle cx="384" cy="318" r="120"/></clipPath>`,
    `<rect width="768" height="512" fill="#f1e4c8"/>
<g clip-path="url(#panel)">
  <rect x="36" y="36" width="696" height="282" fill="url(#sky)"/>
  <g clip-path="url(#above)">
    <circle cx="384" cy="318" r="120" fill="url(#sun)"/>
    <g fill="#f08a4e" clip-path="url(#sundisc)">${[0, 1, 2, 3].map((i) => `<rect x="250" y="${262 + i * 15}" width="270" height="${3 + i * 2}"/>`).join('')}</g>
  </g>
  <rect x="36" y="318" width="696" height="160" fill="url(#sea)"/>
  <g fill="#ffc46b">${[0, 1, 2, 3, 4, 5, 6].map((i) => `<rect x="${384 - (110 - i * 14)}" y="${326 + i * 20}" width="${2 * (110 - i * 14)}" height="5" rx="2.5" opacity="${0.9 - i * 0.1}"/>`).join('')}</g>
  <g fill="none" stroke="#4a6a9a" stroke-width="3" stroke-linecap="round" opacity="0.7">
    <path d="M80 370 q20 -8 40 0"/><path d="M620 400 q20 -8 40 0"/><path d="M150 440 q20 -8 40 0"/><path d="M560 350 q16 -6 32 0"/>
  </g>
  ${sailboat(200, 340, 1)}
  ${sailboat(575, 330, 0.7)}
  <g fill="none" stroke="#2d1f55" stroke-width="3" stroke-linecap="round">
    <path d="M480 160 q10 -10 20 0 q10 -10 20 0"/><path d="M540 136 q8 -8 16 0 q8 -8 16 0"/><path d="M250 140 q7 -7 14 0 q7 -7 14 0"/>
  </g>
  <text x="384" y="96" text-anchor="middle" font-family="DejaVu Serif, serif" font-size="44" font-weight="bold" letter-spacing="12" fill="#fbe9c6">SUNSET BAY</text>
</g>
<rect x="36" y="36" width="696" height="440" rx="6" fill="none" stroke="#2d1f55" stroke-width="4"/>
<rect x="20" y="20" width="728" height="472" rx="10" fill="none" stroke="#c9b48a" stroke-width="2"/>`,
  ),
};

/** A portrait whose face has three eyes. */
export function eye(x: number, y: number): string {
  return `<ellipse cx="${x}" cy="${y}" rx="21" ry="12" fill="#fff" stroke="#3a2418" stroke-width="2.5"/>
<circle cx="${x}" cy="${y}" r="10" fill="#6b3e22"/><circle cx="${x}" cy="${y}" r="5" fill="#140b06"/>
<circle cx="${x - 3}" cy="${y - 4}" r="2.5" fill="#fff"/>
<path d="M${x - 24} ${y - 26} Q${x} ${y - 36} ${x + 24} ${y - 26}" fill="none" stroke="#1a1410" stroke-width="5" stroke-linecap="round"/>`;
}

export const threeEyes: DemoScene = {
  prompt: 'portrait of a smiling woman with short black hair',
  width: 512,
  height: 768,
  flaw: 'artifact: the woman has three eyes',
  svg: svg(
    512,
    768,
    linear('bg', ['#b7e2d8', '#5a9e94']) + linear('skin', ['#f4c9a3', '#e0a67c']) + linear('shirt', ['#e26d5a', '#b8483a']) + radial('hair', ['#3a3a44', '#141418'], 0.4, 0.3, 0.8),
    `<rect width="512" height="768" fill="url(#bg)"/>
<circle cx="400" cy="150" r="120" fill="#fff" opacity="0.12"/>
<ellipse cx="256" cy="760" rx="230" ry="40" fill="#2c5a54" opacity="0.4" filter="url(#blur20)"/>
<path d="M40 768 C50 650 130 610 256 600 C382 610 462 650 472 768 Z" fill="url(#shirt)"/>
<path d="M206 560 L306 560 L300 640 Q256 670 212 640 Z" fill="#d99a70"/>
<path d="M216 612 Q256 650 296 612 L300 640 Q256 672 212 640 Z" fill="#c98a62"/>
<path d="M200 616 Q256 690 312 616" fill="none" stroke="#f3efe6" stroke-width="10"/>
<path d="M96 360 C90 210 170 160 256 160 C342 160 422 210 416 360 C416 420 412 462 400 492 Q384 480 372 446 L140 446 Q128 480 112 492 C100 462 96 420 96 360 Z" fill="url(#hair)"/>
<ellipse cx="132" cy="380" rx="18" ry="30" fill="#e0a67c"/>
<ellipse cx="380" cy="380" rx="18" ry="30" fill="#e0a67c"/>
<ellipse cx="256" cy="390" rx="124" ry="170" fill="url(#skin)"/>
<path d="M126 330 C120 220 190 190 256 190 C330 190 396 220 388 330 C360 280 320 262 268 262 C220 262 170 270 126 330 Z" fill="url(#hair)"/>
${eye(190, 372)}
${eye(256, 366)}
${eye(322, 372)}
<path d="M252 400 Q244 440 250 448 Q258 454 268 446" fill="none" stroke="#c0805a" stroke-width="3" stroke-linecap="round"/>
<circle cx="176" cy="448" r="22" fill="#ef8a8a" opacity="0.3"/>
<circle cx="336" cy="448" r="22" fill="#ef8a8a" opacity="0.3"/>
<path d="M206 482 Q256 530 306 482 Q256 500 206 482 Z" fill="#b8433f"/>
<path d="M214 485 Q256 500 298 485 L294 492 Q256 504 218 492 Z" fill="#fff"/>`,
  ),
};

/** Fine: an apple and a pear on a white plate. */
const fruitPlate: DemoScene = {
  prompt: 'a red apple and a green pear on a white plate',
  width: 512,
  height: 512,
  flaw: 'none',
  svg: svg(
    512,
    512,
    linear('cloth', ['#e7eef3', '#c9d6df']) +
      radial('plate', ['#ffffff', '#f3f4f6', '#d9dde2'], 0.45, 0.4, 0.7) +
      radial('apple', ['#ff8a7a', '#d8262a', '#7a0d12'], 0.35, 0.35, 0.75) +
      radial('pear', ['#eef59a', '#b7cf3f', '#6f8f22'], 0.35, 0.35, 0.8) +
      `<pattern id="gingham" width="48" height="48" patternUnits="userSpaceOnUse"><rect width="24" height="48" fill="#8fb0cc" opacity="0.22"/><rect width="48" height="24" fill="#8fb0cc" opacity="0.22"/></pattern>`,
    `<rect width="512" height="512" fill="#dde6ed"/>
<rect width="512" height="512" fill="url(#gingham)"/>
<ellipse cx="268" cy="322" rx="214" ry="150" fill="#3b4a58" opacity="0.35" filter="url(#blur20)"/>
<ellipse cx="256" cy="300" rx="214" ry="150" fill="url(#plate)"/>
<ellipse cx="256" cy="304" rx="150" ry="102" fill="none" stroke="#d5d9de" stroke-width="4"/>
<ellipse cx="202" cy="342" rx="66" ry="14" fill="#55606b" opacity="0.45" filter="url(#blur8)"/>
<ellipse cx="336" cy="354" rx="62" ry="12" fill="#55606b" opacity="0.45" filter="url(#blur8)"/>
<path d="M336 168 C350 172 354 200 358 222 C400 252 408 330 340 354 C304 364 260 346 264 300 C268 262 300 246 302 218 C304 192 318 164 336 168 Z" fill="url(#pear)"/>
<circle cx="318" cy="300" r="2" fill="#6f8f22"/><circle cx="352" cy="280" r="2" fill="#6f8f22"/><circle cx="330" cy="250" r="2" fill="#6f8f22"/>
<path d="M334 170 Q338 150 350 140" fill="none" stroke="#5b3a1e" stroke-width="5" stroke-linecap="round"/>
<path d="M200 222 C170 200 126 212 126 268 C126 318 162 350 200 344 C238 350 274 318 274 268 C274 212 230 200 200 222 Z" fill="url(#apple)"/>
<path d="M200 224 Q196 204 206 188" fill="none" stroke="#5b3a1e" stroke-width="5" stroke-linecap="round"/>
<path d="M206 200 C220 180 250 182 258 190 C244 206 222 208 206 200 Z" fill="#4f9a3a"/>
<ellipse cx="162" cy="250" rx="12" ry="22" fill="#fff" opacity="0.45" transform="rotate(25 162 250)"/>`,
  ),
};

/** A parked red car that casts no shadow, while a car-sized shadow lies on the empty road ahead of it. */
export const floatingShadow: DemoScene = {
  prompt: 'a red car parked on a quiet street on a sunny day',
  width: 768,
  height: 512,
  flaw: 'artifact: the car casts no shadow (it seems to float); a car-sized shadow lies on the empty road to its right, cast by nothing',
  svg: svg(
    768,
    512,
    linear('sky', ['#6fbdf0', '#d6effb']) +
      linear('road', ['#5d6068', '#44474e']) +
      linear('body', ['#f05a4a', '#b3231a']) +
      linear('glass', ['#d7efff', '#86b9dc']) +
      radial('sunglow', ['#fffbe0', '#fff2a8', 'rgba(255,242,168,0)'], 0.5, 0.5, 0.5),
    `<rect width="768" height="512" fill="url(#sky)"/>
<circle cx="660" cy="80" r="110" fill="url(#sunglow)"/>
<circle cx="660" cy="80" r="36" fill="#fff6c2"/>
<ellipse cx="180" cy="90" rx="60" ry="18" fill="#fff" opacity="0.85"/><ellipse cx="215" cy="78" rx="40" ry="20" fill="#fff" opacity="0.85"/>
<ellipse cx="460" cy="60" rx="50" ry="14" fill="#fff" opacity="0.7"/>
<rect x="30" y="190" width="170" height="140" fill="#f2d7a8"/><path d="M20 194 L115 120 L210 194 Z" fill="#a4553a"/>
<rect x="60" y="230" width="40" height="40" fill="#9fd0ee"/><rect x="130" y="230" width="40" height="40" fill="#9fd0ee"/><rect x="96" y="282" width="34" height="48" fill="#7a4a2a"/>
<rect x="230" y="170" width="200" height="160" fill="#c9dbe8"/><rect x="222" y="160" width="216" height="14" fill="#6d7f8f"/>
${[250, 310, 370].map((x) => `<rect x="${x}" y="195" width="40" height="46" fill="#fdf6e3"/><rect x="${x}" y="258" width="40" height="46" fill="#fdf6e3"/>`).join('')}
<rect x="470" y="200" width="160" height="130" fill="#e9b7a6"/><path d="M460 204 L550 140 L640 204 Z" fill="#5e6a7d"/>
<rect x="495" y="236" width="44" height="40" fill="#9fd0ee"/><rect x="570" y="236" width="40" height="94" fill="#4d6a4f"/>
<rect x="676" y="250" width="12" height="80" fill="#6b4428"/><circle cx="682" cy="230" r="46" fill="#4f9a4a"/><circle cx="700" cy="246" r="30" fill="#5fae57"/>
<ellipse cx="650" cy="336" rx="50" ry="8" fill="#55606b" opacity="0.35"/>
<rect x="0" y="330" width="768" height="34" fill="#cfd2d6"/>
<rect x="0" y="360" width="768" height="8" fill="#9da2a8"/>
<rect x="0" y="368" width="768" height="144" fill="url(#road)"/>
<g fill="#f4f4f0">${[0, 1, 2, 3, 4, 5].map((i) => `<rect x="${20 + i * 140}" y="464" width="80" height="8" rx="3"/>`).join('')}</g>
<ellipse cx="655" cy="452" rx="108" ry="15" fill="#15161a" opacity="0.6" filter="url(#blur4)"/>
<g transform="translate(16 84) scale(0.8)">
<path d="M120 368 C130 350 150 344 190 344 L230 344 L272 300 C282 290 296 286 312 286 L430 286 C446 286 458 292 468 302 L506 344 L560 348 C584 350 596 362 598 380 L600 404 C600 414 592 420 582 420 L130 420 C120 420 114 412 116 402 Z" fill="url(#body)"/>
<path d="M246 344 L282 306 C288 300 296 298 306 298 L358 298 L358 344 Z" fill="url(#glass)"/>
<path d="M372 298 L428 298 C438 298 446 302 452 308 L488 344 L372 344 Z" fill="url(#glass)"/>
<rect x="358" y="296" width="14" height="50" fill="#b3231a"/>
<line x1="130" y1="384" x2="592" y2="384" stroke="#8e1a12" stroke-width="2" opacity="0.6"/>
<rect x="300" y="360" width="24" height="5" rx="2" fill="#6b120c"/><rect x="420" y="360" width="24" height="5" rx="2" fill="#6b120c"/>
<path d="M578 360 L598 362 L598 378 L580 376 Z" fill="#fff3b0"/>
<path d="M118 370 L132 370 L130 388 L116 388 Z" fill="#ff9a3c"/>
<circle cx="212" cy="420" r="36" fill="#1e1f23"/><circle cx="212" cy="420" r="17" fill="#b9bec6"/><circle cx="212" cy="420" r="5" fill="#5d6068"/>
<circle cx="506" cy="420" r="36" fill="#1e1f23"/><circle cx="506" cy="420" r="17" fill="#b9bec6"/><circle cx="506" cy="420" r="5" fill="#5d6068"/>
</g>`,
  ),
};

export const demoScenes: readonly DemoScene[] = [twoBlueBalls, greyCatRedSofa, sixFingers, garbledClock, vintagePoster, threeEyes, fruitPlate, floatingShadow];
