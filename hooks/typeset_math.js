// Typesets TeX into SVG with MathJax at build time, so pages ship finished math and no math JavaScript.
// stdin: JSON [{"tex": "...", "display": true|false}, ...]
// stdout: JSON {"formulas": ["<mjx-container ...>", ...], "glyphs": "<svg ...>"}: the page needs both.
const {mathjax} = require('mathjax-full/js/mathjax.js');
const {TeX} = require('mathjax-full/js/input/tex.js');
const {AllPackages} = require('mathjax-full/js/input/tex/AllPackages.js');
const {SVG} = require('mathjax-full/js/output/svg.js');
const {liteAdaptor} = require('mathjax-full/js/adaptors/liteAdaptor.js');
const {RegisterHTMLHandler} = require('mathjax-full/js/handlers/html.js');

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);
const doc = mathjax.document('', {
  InputJax: new TeX({packages: AllPackages.filter((name) => name !== 'bussproofs')}),
  // 'global': each glyph's path is written once per page (in `glyphs`) and the formulas refer to it by id;
  // a page repeats few glyphs across many formulas, so this sends about half the math's bytes.
  OutputJax: new SVG({fontCache: 'global'}),
});

let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const out = JSON.parse(input).map(({tex, display}) => {
    const node = doc.convert(tex, {display});
    // MathJax reports TeX errors inside the SVG instead of throwing: surface them so the build fails.
    const error = adaptor.tags(node, 'g').find((g) => adaptor.getAttribute(g, 'data-mml-node') === 'merror');
    if (error) {
      process.stderr.write(`TeX error in ${JSON.stringify(tex)}: ${adaptor.getAttribute(error, 'title') || adaptor.textContent(error)}\n`);
      process.exitCode = 1;
    }
    // Screen readers get the TeX source: an SVG with role="img" needs an accessible name.
    const svg = adaptor.firstChild(node);
    adaptor.setAttribute(svg, 'aria-label', tex);
    return adaptor.outerHTML(node);
  });
  const glyphs = adaptor.outerHTML(doc.outputJax.pageElements(doc));  // a hidden <svg> holding the paths
  process.stdout.write(JSON.stringify({formulas: out, glyphs}));
});
